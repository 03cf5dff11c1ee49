// Screenshots of the real chat for the README: run `make run`, then
//   node scripts/screenshots.mjs http://127.0.0.1:5005/webhooks/webchat/ docs/screenshots
// Opens the page in Debian's chromium at phone and desktop width, waits for Waypoint's
// welcome, chooses "I feel unsafe" and saves webchat-phone.png and webchat-desktop.png.
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.WAYPOINT_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox"],
});
for (const [name, viewport] of [
  ["webchat-phone.png", { width: 390, height: 844 }],
  ["webchat-desktop.png", { width: 1280, height: 800 }],
]) {
  const page = await browser.newPage({ viewport });
  await page.goto(url);
  await page.getByRole("button", { name: "I feel unsafe" }).click();
  await page.locator(".msg-bot", { hasText: "Are you safe right now?" }).waitFor();
  await page.waitForFunction(() => document.querySelector("#typing").hidden);
  await page.screenshot({ path: join(out, name) });
  await page.close();
}
await browser.close();
