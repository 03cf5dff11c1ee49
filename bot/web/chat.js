// Waypoint web chat. No framework, no build step, nothing loaded from other hosts.
// Privacy: the transcript lives only in this page. sessionStorage holds just the random
// session token (so a reload keeps the conversation); quick exit and "End chat" clear it.
"use strict";

(() => {
  const KEY = "waypoint.session";
  const EXIT_URL = "https://www.bbc.co.uk/weather";
  const TOKEN = /^[A-Za-z0-9_-]{22,64}$/;
  const REPLY_TIMEOUT_MS = 90000;

  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const form = $("composer");
  const input = $("input");
  const typing = $("typing");
  const offline = $("offline");
  const hint = $("hint");
  const venue = readVenue();
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  let session = loadSession();
  let source = null;
  let lastEventId = "";
  const seenEvents = new Set();
  let exiting = false;
  let inflight = null; // AbortController of the current POST
  const outbox = []; // messages waiting to be sent, in order
  let pumping = false;
  let wake = null; // resolves the retry wait early ("Try again now")

  // ---- session token and venue ------------------------------------------------------

  function newToken() {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function loadSession() {
    try {
      const saved = sessionStorage.getItem(KEY);
      if (saved && TOKEN.test(saved)) return saved;
    } catch (e) { /* storage blocked: the token lives only in memory */ }
    const token = newToken();
    try { sessionStorage.setItem(KEY, token); } catch (e) { /* fine */ }
    return token;
  }

  function readVenue() {
    const v = (new URLSearchParams(location.search).get("v") || "").trim().toLowerCase();
    return /^[a-z0-9-]{1,40}$/.test(v) ? v : "";
  }

  // ---- rendering (always as text, never as HTML) --------------------------------------

  function appendText(el, text) {
    // Turn https:// links into real links; everything else stays plain text.
    const parts = String(text).split(/(https:\/\/[^\s<>"']+)/);
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        if (part) el.appendChild(document.createTextNode(part));
        return;
      }
      const trail = part.match(/[.,;:!?)]+$/);
      const url = trail ? part.slice(0, -trail[0].length) : part;
      const a = document.createElement("a");
      a.href = url;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      a.textContent = url;
      el.appendChild(a);
      if (trail) el.appendChild(document.createTextNode(trail[0]));
    });
  }

  function labelFor(m) {
    if (m.author === "user") return "You";
    if (m.author === "navigator") {
      const name = typeof m.navigator === "string" ? m.navigator.trim() : "";
      return name ? `${name} (youth worker)` : "A youth worker (a real person)";
    }
    return "Waypoint (not a person)";
  }

  function scrollToEnd(el) {
    el.scrollIntoView({ block: "end", behavior: reduceMotion.matches ? "auto" : "smooth" });
  }

  // Show new messages from their start when they don't fit, so a long welcome is read
  // from its first line rather than from its last.
  function reveal(first, last) {
    if (!first || !last) return;
    const room = $("main").clientHeight;
    const height = last.getBoundingClientRect().bottom - first.getBoundingClientRect().top;
    if (height <= room) {
      scrollToEnd(last);
    } else {
      first.scrollIntoView({ block: "start", behavior: reduceMotion.matches ? "auto" : "smooth" });
    }
  }

  // Add one message to the log and return its element (not scrolled into view yet).
  function addMessage(m) {
    if (!m || exiting) return null;
    const author = ["user", "navigator"].includes(m.author) ? m.author : "bot";
    const item = document.createElement("div");
    item.className = `msg msg-${author}`;
    const who = document.createElement("p");
    who.className = "who";
    who.textContent = labelFor({ ...m, author });
    item.appendChild(who);
    const previous = log.lastElementChild;
    if (previous && previous.dataset.who === who.textContent) {
      item.classList.add("same-author"); // label kept for screen readers, hidden on screen
    }
    item.dataset.who = who.textContent;
    if (m.text) {
      const body = document.createElement("p");
      body.className = "text";
      appendText(body, m.text);
      item.appendChild(body);
    }
    const buttons = Array.isArray(m.buttons) ? m.buttons : [];
    if (buttons.length) {
      const group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Choose an answer");
      buttons.forEach((b) => {
        if (b && typeof b.title === "string" && typeof b.url === "string") {
          group.appendChild(linkButton(b));
          return;
        }
        if (!b || typeof b.title !== "string" || typeof b.payload !== "string") return;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.textContent = b.title;
        button.addEventListener("click", () => choose(group, button, b));
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    return item;
  }

  // "Call Childline", "Website": a link styled as a choice. The server only sends https,
  // tel and sms links; web pages open in a new tab so the chat stays where it was.
  function linkButton(b) {
    const link = document.createElement("a");
    link.className = "choice choice-link";
    link.textContent = b.title;
    link.href = /^(https:|tel:|sms:)/.test(b.url) ? b.url : "#";
    if (b.url.startsWith("https:")) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
    return link;
  }

  function choose(group, button, b) {
    if (group.dataset.chosen) return;
    group.dataset.chosen = "yes";
    button.setAttribute("aria-pressed", "true");
    group.querySelectorAll("button").forEach((el) => { el.disabled = true; });
    send({ message: b.payload }, b.title);
    input.focus();
  }

  // ---- sending, with kind retries -----------------------------------------------------

  function send(body, shown) {
    if (exiting) return;
    if (shown !== null) {
      const item = addMessage({ author: "user", text: shown });
      reveal(item, item);
    }
    outbox.push(body);
    pump();
  }

  async function pump() {
    if (pumping) return;
    pumping = true;
    let delay = 2000;
    let serverFailures = 0;
    while (outbox.length && !exiting) {
      const outcome = await post(outbox[0], serverFailures >= 2);
      if (outcome === "retry" || outcome === "server-failed") {
        // Unreachable: keep trying. Reachable but failing: try 3 times, then say so.
        if (outcome === "server-failed") serverFailures += 1;
        setOffline(true);
        await pause(delay);
        delay = Math.min(delay * 2, 30000);
        continue;
      }
      outbox.shift();
      delay = 2000;
      serverFailures = 0;
    }
    pumping = false;
  }

  function pause(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  function setOffline(on) {
    offline.hidden = !on;
  }

  async function post(job, lastTry) {
    const body = { session, ...job };
    if (venue) body.venue = venue;
    const controller = new AbortController();
    inflight = controller;
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, REPLY_TIMEOUT_MS);
    typing.hidden = false;
    scrollToEnd(typing);
    try {
      const res = await fetch("webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
        signal: controller.signal,
      });
      let data = null;
      try { data = await res.json(); } catch (e) { data = null; }
      if (res.ok && data && Array.isArray(data.messages)) {
        setOffline(false);
        if (data.forgotten) {
          forgotten(data.messages);
          return "done";
        }
        const added = data.messages.map(addMessage).filter(Boolean);
        reveal(added[0], added[added.length - 1]);
        if (job.start && !data.messages.length) {
          // e.g. a youth worker is already talking with you (the bot stays quiet then)
          hint.textContent = "You're connected. Type a message when you're ready.";
        }
        return "done";
      }
      if (res.status >= 400 && res.status < 500 && ![408, 429].includes(res.status)) {
        setOffline(false);
        addNotice((data && data.error) || "Sorry, that message didn't send.");
        return "done";
      }
      if (res.status >= 500 && lastTry) {
        setOffline(false);
        addNotice((data && data.error) || "Sorry, something went wrong. Please try again.");
        return "done";
      }
      return res.status >= 500 ? "server-failed" : "retry";
    } catch (e) {
      // Stopped on purpose (quick exit, End chat): nothing to retry.
      if (exiting || (controller.signal.aborted && !timedOut)) return "done";
      return "retry";
    } finally {
      clearTimeout(timer);
      inflight = null;
      typing.hidden = true;
    }
  }

  function addNotice(text) {
    const p = document.createElement("p");
    p.className = "notice";
    p.textContent = text;
    log.appendChild(p);
    scrollToEnd(p);
  }

  // ---- messages from a youth worker (server-sent events) ------------------------------

  function connectEvents() {
    if (exiting || typeof EventSource === "undefined") return;
    let url = `events?session=${encodeURIComponent(session)}`;
    if (lastEventId) url += `&last=${encodeURIComponent(lastEventId)}`;
    const es = new EventSource(url);
    source = es;
    es.onmessage = (e) => {
      if (e.lastEventId) {
        if (seenEvents.has(e.lastEventId)) return;
        seenEvents.add(e.lastEventId);
        lastEventId = e.lastEventId;
      }
      let m = null;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      const item = addMessage(m);
      reveal(item, item);
    };
    es.onerror = () => {
      // The browser retries by itself; if it gave up, start again a little later.
      if (es.readyState === EventSource.CLOSED && source === es) {
        source = null;
        setTimeout(connectEvents, 5000);
      }
    };
  }

  function closeEvents() {
    if (source) source.close();
    source = null;
  }

  // ---- quick exit -----------------------------------------------------------------------

  function clearStorage() {
    try { sessionStorage.removeItem(KEY); sessionStorage.clear(); } catch (e) { /* fine */ }
    try { localStorage.removeItem(KEY); } catch (e) { /* fine */ }
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    exiting = true;
    document.documentElement.classList.add("exiting");
    closeEvents();
    // Messages still waiting to be sent go anyway (something said just before leaving
    // may matter); the one in flight is finished by the server even though we stop here.
    if (navigator.sendBeacon) {
      outbox.slice(inflight ? 1 : 0).filter((job) => !job.start).forEach((job) => {
        const body = JSON.stringify({ session, ...job, ...(venue ? { venue } : {}) });
        navigator.sendBeacon("webhook", new Blob([body], { type: "text/plain" }));
      });
    }
    if (inflight) inflight.abort();
    outbox.length = 0;
    log.replaceChildren();
    input.value = "";
    clearStorage();
    window.location.replace(EXIT_URL);
  }

  let shiftCount = 0;
  let shiftTimer = null;
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Shift") {
      shiftCount = 0;
      return;
    }
    if (e.repeat) return;
    shiftCount += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(() => { shiftCount = 0; }, 5000);
    if (shiftCount >= 3) {
      quickExit();
    } else {
      $("exit-status").textContent = `Shift pressed ${shiftCount} of 3 times to leave.`;
    }
  });

  $("exit").addEventListener("click", quickExit);
  window.addEventListener("pageshow", (e) => {
    if (e.persisted && exiting) window.location.replace(EXIT_URL);
  });

  // ---- end chat / delete chat (each asks twice, so a slip of the thumb does nothing) ---

  function askTwice(button, armedLabel, armedHint, action) {
    const label = button.textContent;
    let armed = null;
    button.addEventListener("click", () => {
      if (!armed) {
        button.textContent = armedLabel;
        hint.textContent = armedHint;
        armed = setTimeout(() => {
          armed = null;
          button.textContent = label;
          hint.textContent = "";
        }, 5000);
        return;
      }
      clearTimeout(armed);
      armed = null;
      button.textContent = label;
      hint.textContent = "";
      action();
    });
  }

  // A fresh, unrelated conversation: nothing of the old one on the screen or in storage.
  // ``messages`` (e.g. what the server deleted) are shown before "Start a new chat".
  function startAfresh(messages, note) {
    closeEvents();
    if (inflight) inflight.abort();
    outbox.length = 0;
    log.replaceChildren();
    clearStorage();
    session = loadSession();
    lastEventId = "";
    seenEvents.clear();
    hint.textContent = note;
    const added = messages.map(addMessage).filter(Boolean);
    if (added.length) reveal(added[0], added[added.length - 1]);
    const again = document.createElement("button");
    again.type = "button";
    again.className = "choice";
    again.textContent = "Start a new chat";
    again.addEventListener("click", () => {
      again.remove();
      hint.textContent = "";
      start();
    });
    log.appendChild(again);
    again.focus();
  }

  askTwice(
    $("end"),
    "Tap again to end chat",
    "Tap End chat again to clear this chat from the screen.",
    () => startAfresh([], "Chat ended. Nothing from it is kept on this phone."),
  );

  // Delete chat erases it from Waypoint too, not just from this screen.
  askTwice(
    $("forget"),
    "Tap again to delete",
    "Tap Delete chat again to delete this chat from Waypoint as well as this screen.",
    () => {
      outbox.length = 0;
      send({ forget: true }, null);
    },
  );

  // The server deleted the conversation: start afresh and show only what was deleted.
  function forgotten(messages) {
    startAfresh(messages, "");
  }

  // ---- composing --------------------------------------------------------------------------

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) {
      hint.textContent = "Type a message first, or choose one of the buttons.";
      input.focus();
      return;
    }
    hint.textContent = "";
    input.value = "";
    send({ message: text }, text);
    input.focus();
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  $("retry").addEventListener("click", () => { if (wake) wake(); });

  function start() {
    connectEvents();
    send({ start: true }, null); // the bot's welcome: what Waypoint is, and privacy
  }

  start();
})();
