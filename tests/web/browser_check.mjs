// Drive the Waypoint web chat in Debian's chromium and print one JSON report on stdout.
//
//   node tests/web/browser_check.mjs <page-url> [--out DIR] [--navigator-hook URL]
//        [--message TEXT] [--error-message TEXT] [--slow-message TEXT] [--timeout MS]
//        [--chromium PATH]
//
// Works against any server that serves the page (the fake-agent test app or the real
// Rasa server). Checks that need a particular bot reply only look for "some reply";
// the pytest side asserts on exact texts. --navigator-hook URL: the script POSTs
// {"session", "text", "navigator"} there and expects the page to show a message labelled
// as a person (tests/web/navigator_hook.py provides such a hook for Rasa's HTTP API).
// --error-message TEXT: a message the bot fails on (HTTP 5xx); the page must end with a
// kind notice, not a trace. --slow-message TEXT: a message the bot answers slowly; it is
// sent, then "said while leaving" is queued behind it, and quick exit is pressed at once
// (the server side checks that both still arrived). Exit code 0 when every check passed, 1 otherwise, 2 on a crash.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const EXIT_HOST = "www.bbc.co.uk";
const XSS = "<script>alert(1)</script>";

function parseArgs(argv) {
  const opts = {
    url: "",
    out: "tests/web/artifacts",
    hook: "",
    errorMessage: "",
    slowMessage: "",
    message: "hello there",
    timeout: 20000,
    chromium: process.env.WAYPOINT_CHROMIUM || "/usr/bin/chromium",
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === "--out") opts.out = next();
    else if (arg === "--navigator-hook") opts.hook = next();
    else if (arg === "--message") opts.message = next();
    else if (arg === "--error-message") opts.errorMessage = next();
    else if (arg === "--slow-message") opts.slowMessage = next();
    else if (arg === "--timeout") opts.timeout = Number(next());
    else if (arg === "--chromium") opts.chromium = next();
    else if (!opts.url) opts.url = arg;
    else throw new Error(`unknown argument: ${arg}`);
  }
  if (!opts.url) throw new Error("usage: browser_check.mjs <page-url> [options]");
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
const origin = new URL(opts.url).origin;
const report = { ok: false, url: opts.url, checks: [], foreign_requests: [], screenshots: [] };
const requests = [];
let exitPhase = false;
let dialogs = 0;

async function check(name, fn) {
  try {
    const detail = await fn();
    if (detail && detail.skipped) {
      report.checks.push({ name, ok: true, skipped: true, detail });
    } else {
      report.checks.push({ name, ok: true, detail: detail ?? null });
    }
  } catch (error) {
    report.checks.push({ name, ok: false, detail: String(error && error.stack ? error.stack : error) });
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(opts.timeout);
  page.on("dialog", async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  return page;
}

const count = (page, selector) => page.locator(selector).count();

async function waitForCount(page, selector, atLeast) {
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel).length >= n,
    [selector, atLeast],
  );
}

// Send text by typing and pressing Enter; return the texts of the replies that follow.
async function sendTyped(page, text) {
  const users = await count(page, ".msg-user");
  const replies = await count(page, ".msg-bot, .msg-navigator");
  await page.locator("#input").fill(text);
  await page.locator("#input").press("Enter");
  await waitForCount(page, ".msg-user", users + 1);
  await waitForCount(page, ".msg-bot, .msg-navigator", replies + 1);
  await page.waitForFunction(() => document.querySelector("#typing").hidden);
  const shown = await page.locator(".msg-user .text").nth(users).textContent();
  const all = await page.locator(".msg-bot .text, .msg-navigator .text").allTextContents();
  return { shown, replies: all.slice(replies) };
}

async function storageState(page) {
  return page.evaluate(() => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
  }));
}

// After quick exit: back on the chat's origin (a static file, so no new session starts),
// in the same tab, nothing may be left in localStorage or sessionStorage.
async function assertExitedClean(page, how) {
  await page.waitForURL((url) => url.hostname === EXIT_HOST);
  const back = await page.goBack().catch(() => null);
  const afterBack = page.url();
  assert(!afterBack.startsWith(opts.url), `Back returned to the chat (${afterBack}) after ${how}`);
  await page.goto(new URL("static/chat.css", opts.url).href);
  const left = await storageState(page);
  assert(left.local.length === 0 && left.session.length === 0, `storage left: ${JSON.stringify(left)}`);
  return { how, backTo: back ? afterBack : "(no earlier page)", storage: left };
}

async function main() {
  mkdirSync(opts.out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    reducedMotion: "reduce",
    serviceWorkers: "block",
  });
  context.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("http")) requests.push({ url, exitPhase });
  });
  // Nothing but the chat's own origin may be fetched; the quick-exit target is answered
  // here with a stand-in page (there is no internet in the test environment).
  await context.route((url) => url.origin !== origin, async (route) => {
    const url = new URL(route.request().url());
    if (exitPhase && url.hostname === EXIT_HOST) {
      await route.fulfill({ status: 200, contentType: "text/html", body: "<title>Weather</title><h1>Weather</h1>" });
    } else {
      await route.abort();
    }
  });

  const page = await newPage(context);

  await check("loads and shows the welcome", async () => {
    await page.goto(opts.url);
    await page.locator(".msg-bot").first().waitFor();
    const label = await page.locator(".msg-bot .who").first().textContent();
    assert(label === "Waypoint (not a person)", `bot label was ${JSON.stringify(label)}`);
    const texts = await page.locator(".msg-bot .text").allTextContents();
    const path = join(opts.out, "webchat-welcome.png");
    await page.screenshot({ path });
    report.screenshots.push(path);
    return { label, welcome: texts };
  });

  await check("screenshot at desktop width", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(200);
    const path = join(opts.out, "webchat-desktop.png");
    await page.screenshot({ path });
    report.screenshots.push(path);
    await page.setViewportSize({ width: 390, height: 844 });
    return { path };
  });

  await check("quick exit, 999 and labels are in place", async () => {
    const exit = page.locator("#exit");
    assert(await exit.isVisible(), "quick exit is not visible");
    assert((await exit.textContent()).includes("Leave this site quickly"), "quick exit text");
    const box = await exit.boundingBox();
    assert(box && box.y < 80, `quick exit is not at the top (y=${box && box.y})`);
    assert(await page.locator('a[href="tel:999"]').first().isVisible(), "999 link not visible");
    const facts = await page.evaluate(() => {
      const input = document.querySelector("#input");
      const log = document.querySelector("#log");
      return {
        inputLabel: input.labels.length ? input.labels[0].textContent.trim() : "",
        logRole: log.getAttribute("role"),
        logLive: log.getAttribute("aria-live"),
        lang: document.documentElement.lang,
      };
    });
    assert(facts.inputLabel, "message box has no label");
    assert(facts.logRole === "log" && facts.logLive === "polite", "log is not a live region");
    await page.locator("body").focus();
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { id: el.id, outline: style.outlineStyle, width: style.outlineWidth };
    });
    assert(focused.id === "exit", `first Tab stop is ${focused.id}, not quick exit`);
    assert(focused.outline !== "none" && focused.width !== "0px", "no visible focus on quick exit");
    return { ...facts, firstTabStop: focused };
  });

  await check("only the session token in storage", async () => {
    const state = await storageState(page);
    assert(state.local.length === 0, `localStorage has ${state.local}`);
    assert(JSON.stringify(state.session) === JSON.stringify(["waypoint.session"]), `sessionStorage has ${state.session}`);
    return state;
  });

  await check("typing and Enter sends; the reply is shown", async () => {
    const result = await sendTyped(page, opts.message);
    assert(result.shown === opts.message, `shown as ${JSON.stringify(result.shown)}`);
    assert(result.replies.length > 0, "no reply");
    assert((await page.locator("#input").inputValue()) === "", "input not cleared");
    return result;
  });

  await check("buttons send their payload and show their title", async () => {
    const choice = page.locator(".choice:not([disabled])").first();
    if ((await choice.count()) === 0) return { skipped: true, why: "the bot offered no buttons" };
    const title = await choice.textContent();
    const users = await count(page, ".msg-user");
    const replies = await count(page, ".msg-bot, .msg-navigator");
    await choice.focus();
    await page.keyboard.press("Enter"); // keyboard operable
    await waitForCount(page, ".msg-user", users + 1);
    await waitForCount(page, ".msg-bot, .msg-navigator", replies + 1);
    const shown = await page.locator(".msg-user .text").nth(users).textContent();
    assert(shown === title, `shown ${JSON.stringify(shown)} for button ${JSON.stringify(title)}`);
    const all = await page.locator(".msg-bot .text, .msg-navigator .text").allTextContents();
    const disabled = await page.evaluate(
      (t) => [...document.querySelectorAll(".choice")].filter((b) => b.textContent === t)[0].disabled,
      title,
    );
    return { title, replies: all.slice(replies), disabledAfter: disabled };
  });

  await check("link buttons are links: call and website, nothing else", async () => {
    await sendTyped(page, "links please");
    const links = await page.locator(".msg-bot").last().locator("a.choice").evaluateAll(
      (els) => els.map((a) => ({ title: a.textContent, href: a.getAttribute("href"), target: a.target })),
    );
    assert(links.length === 2, `links: ${JSON.stringify(links)}`);
    return { links };
  });

  await check("HTML is shown as text, never run", async () => {
    const result = await sendTyped(page, XSS);
    assert(result.shown === XSS, `shown as ${JSON.stringify(result.shown)}`);
    const scripts = await page.evaluate(() => document.querySelectorAll("#log script, #log b").length);
    assert(scripts === 0, "markup was parsed into elements");
    await page.waitForTimeout(300);
    assert(dialogs === 0, "a dialog opened");
    return result;
  });

  await check("kind message and retry when the server is unreachable", async () => {
    let failures = 0;
    const fail = async (route) => {
      failures += 1;
      await route.abort("connectionrefused");
    };
    await page.route("**/webhook", fail);
    const users = await count(page, ".msg-user");
    const replies = await count(page, ".msg-bot, .msg-navigator");
    await page.locator("#input").fill("are you there");
    await page.locator("#input").press("Enter");
    await page.locator("#offline").waitFor({ state: "visible" });
    const notice = await page.locator("#offline").textContent();
    assert(notice.includes("999"), "offline notice has no 999");
    assert(await page.locator('#offline a[href="tel:999"]').isVisible(), "no 999 link when offline");
    await page.unroute("**/webhook", fail);
    await page.locator("#retry").click();
    await waitForCount(page, ".msg-bot, .msg-navigator", replies + 1);
    await page.locator("#offline").waitFor({ state: "hidden" });
    assert((await count(page, ".msg-user")) === users + 1, "message shown twice");
    return { failures, notice: notice.replace(/\s+/g, " ").trim() };
  });

  await check("a failing bot gets a kind notice after a few tries", async () => {
    if (!opts.errorMessage) return { skipped: true, why: "no --error-message given" };
    const notices = await count(page, "#log .notice");
    await page.locator("#input").fill(opts.errorMessage);
    await page.locator("#input").press("Enter");
    await waitForCount(page, "#log .notice", notices + 1);
    const notice = await page.locator("#log .notice").last().textContent();
    assert(!/Traceback|Error:|Exception/.test(notice), `notice shows internals: ${notice}`);
    await page.locator("#offline").waitFor({ state: "hidden" });
    return { notice };
  });

  await check("a youth worker's message is labelled as a person", async () => {
    if (!opts.hook) return { skipped: true, why: "no --navigator-hook given" };
    const session = await page.evaluate(() => sessionStorage.getItem("waypoint.session"));
    const text = "Hi, I'm Sam. I'm a youth worker and I'm here now.";
    const res = await fetch(opts.hook, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session, text, navigator: "Sam" }),
    });
    assert(res.ok, `navigator hook answered ${res.status}: ${await res.text()}`);
    const message = page.locator(".msg-navigator").last();
    await message.waitFor();
    const label = await message.locator(".who").textContent();
    const shown = await message.locator(".text").textContent();
    assert(label === "Sam (youth worker)", `label was ${JSON.stringify(label)}`);
    assert(shown === text, `text was ${JSON.stringify(shown)}`);
    const looks = await page.evaluate(() => {
      const bg = (sel) => getComputedStyle(document.querySelector(sel)).backgroundColor;
      return { navigator: bg(".msg-navigator"), bot: bg(".msg-bot") };
    });
    assert(looks.navigator !== looks.bot, "navigator messages look like bot messages");
    return { label, shown, looks };
  });

  await check("screenshot at phone width", async () => {
    const path = join(opts.out, "webchat-phone.png");
    await page.screenshot({ path });
    report.screenshots.push(path);
    return { path };
  });

  await check("works at 320px wide", async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.waitForTimeout(200);
    const facts = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      exit: document.querySelector("#exit").getBoundingClientRect().toJSON(),
      send: document.querySelector("#send").getBoundingClientRect().toJSON(),
      bodyFont: getComputedStyle(document.body).fontSize,
    }));
    assert(facts.scrollWidth <= 320, `page is ${facts.scrollWidth}px wide at 320px`);
    assert(facts.exit.top >= 0 && facts.exit.right <= 320, "quick exit is off screen");
    assert(facts.send.right <= 320 && facts.send.bottom <= 640, "send button is off screen");
    assert(await page.locator('a[href="tel:999"]').first().isVisible(), "999 hidden at 320px");
    await page.locator(".msg-bot").last().scrollIntoViewIfNeeded();
    assert(await page.locator("#exit").isVisible(), "quick exit scrolls away");
    const path = join(opts.out, "webchat-320.png");
    await page.screenshot({ path });
    report.screenshots.push(path);
    return facts;
  });

  await check("End chat asks twice, then clears the screen and the token", async () => {
    const before = await page.evaluate(() => sessionStorage.getItem("waypoint.session"));
    await page.locator("#end").click();
    const armed = await page.locator("#end").textContent();
    assert((await count(page, ".msg")) > 0, "one tap already cleared the chat");
    await page.locator("#end").click();
    await page.waitForFunction(() => document.querySelectorAll(".msg").length === 0);
    const after = await page.evaluate(() => sessionStorage.getItem("waypoint.session"));
    assert(after && after !== before, "the session token was not replaced");
    const again = page.getByRole("button", { name: "Start a new chat" });
    await again.click();
    await page.locator(".msg-bot").first().waitFor();
    return { armed, newToken: after !== before };
  });

  await check("Delete chat asks twice, then shows what was deleted and starts afresh", async () => {
    await sendTyped(page, "something to delete");
    const before = await page.evaluate(() => sessionStorage.getItem("waypoint.session"));
    await page.locator("#forget").click();
    const armed = await page.locator("#forget").textContent();
    assert((await count(page, ".msg-user")) > 0, "one tap already deleted the chat");
    await page.locator("#forget").click();
    await page.waitForFunction(() => document.querySelectorAll(".msg-user").length === 0);
    await page.locator(".msg-bot").first().waitFor();
    const said = await page.locator(".msg-bot .text").allTextContents();
    const after = await page.evaluate(() => sessionStorage.getItem("waypoint.session"));
    assert(after && after !== before, "the session token was not replaced");
    const again = page.getByRole("button", { name: "Start a new chat" });
    assert(await again.isVisible(), "no way to start again");
    return { armed, said, newToken: after !== before };
  });

  await check("the privacy page opens from the chat, in plain words", async () => {
    const link = page.getByRole("link", { name: "What happens to my messages?" });
    const [privacy] = await Promise.all([context.waitForEvent("page"), link.click()]);
    await privacy.waitForLoadState();
    const heading = await privacy.locator("h1").textContent();
    const exit = await privacy.locator("a.exit").isVisible();
    const text = await privacy.locator("main").textContent();
    await privacy.close();
    assert(exit, "no quick exit on the privacy page");
    return { heading, mentionsForget: text.includes("/forget"), mentions999: text.includes("999") };
  });

  await check("no request to any other host", async () => {
    report.foreign_requests = requests.filter((r) => new URL(r.url).origin !== origin).map((r) => r.url);
    assert(report.foreign_requests.length === 0, `requests: ${report.foreign_requests.join(", ")}`);
    return { requests: requests.length };
  });

  await check("quick exit button leaves and clears everything", async () => {
    let queued = null;
    if (opts.slowMessage) {
      await page.locator("#input").fill(opts.slowMessage);
      await page.locator("#input").press("Enter");
      await page.waitForFunction(() => !document.querySelector("#typing").hidden);
      queued = "said while leaving";
      await page.locator("#input").fill(queued);
      await page.locator("#input").press("Enter");
    }
    exitPhase = true;
    await page.locator("#exit").click();
    return { ...(await assertExitedClean(page, "button")), queued };
  });

  await check("Shift pressed 3 times leaves and clears everything", async () => {
    const second = await newPage(context);
    exitPhase = false;
    await second.goto(opts.url);
    await second.locator(".msg-bot").first().waitFor();
    await second.locator("#input").fill("typing something");
    exitPhase = true;
    for (let i = 0; i < 3; i += 1) await second.keyboard.press("Shift");
    return assertExitedClean(second, "Shift x3");
  });

  const late = requests.filter((r) => new URL(r.url).origin !== origin && !(r.exitPhase && new URL(r.url).hostname === EXIT_HOST));
  if (late.length) report.checks.push({ name: "no other host after exit", ok: false, detail: late });

  await browser.close();
  report.ok = report.checks.every((c) => c.ok);
}

try {
  await main();
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  report.error = String(error && error.stack ? error.stack : error);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exit(2);
}
