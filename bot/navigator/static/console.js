// Waypoint navigator console: live queue and transcript over server-sent events.
// Served by the console itself; nothing is loaded from any other host.
(function () {
  "use strict";

  function waited(since) {
    var minutes = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 60000));
    if (minutes < 1) return "waiting under a minute";
    if (minutes < 60) return "waiting " + minutes + " min";
    var hours = Math.floor(minutes / 60);
    return "waiting " + hours + " h " + (minutes % 60) + " min";
  }

  function tick() {
    document.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = waited(el.getAttribute("data-since"));
    });
  }

  function signedOut() {
    window.location.assign("/login");
  }

  var queue = document.getElementById("queue");
  if (queue && window.EventSource) {
    var baseTitle = document.title;
    var queueEvents = new EventSource("/events/queue");
    queueEvents.addEventListener("queue", function (event) {
      var data = JSON.parse(event.data);
      queue.innerHTML = data.html;
      var availability = document.getElementById("availability");
      if (availability) availability.textContent = data.available;
      document.title = (data.immediate ? "(" + data.immediate + " IMMEDIATE) " : "") +
        (data.waiting ? "(" + data.waiting + ") " : "") + baseTitle;
      tick();
    });
    queueEvents.addEventListener("signed_out", signedOut);
  }

  var live = document.getElementById("live");
  if (live && window.EventSource) {
    var id = live.getAttribute("data-escalation");
    var liveEvents = new EventSource("/events/escalations/" + encodeURIComponent(id));
    liveEvents.addEventListener("transcript", function (event) {
      var data = JSON.parse(event.data);
      var atBottom = live.scrollTop + live.clientHeight >= live.scrollHeight - 40;
      live.innerHTML = data.html;
      if (atBottom) live.scrollTop = live.scrollHeight;
      if (data.status && data.status !== live.getAttribute("data-status")) {
        var box = document.getElementById("reply-text");
        if (!box || !box.value.trim()) {
          window.location.reload();
        } else if (!document.getElementById("changed")) {
          var note = document.createElement("p");
          note.id = "changed";
          note.className = "notice";
          note.setAttribute("role", "alert");
          note.textContent = "This escalation has changed. Copy your message, then reload.";
          live.parentNode.insertBefore(note, live.parentNode.firstChild);
        }
      }
    });
    liveEvents.addEventListener("signed_out", signedOut);
    live.scrollTop = live.scrollHeight;
  }

  tick();
  setInterval(tick, 15000);
})();
