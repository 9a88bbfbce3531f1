// Runs axe-core (WCAG 2.1 A and AA rules) on HTML files in Debian's headless Chromium and
// exits non-zero when any page has a violation. Also checks that every focusable element is
// reachable by the keyboard and that the page fits a 320 px wide screen, and can save a
// screenshot to look at.
//
//   node check.mjs PAGE.html [PAGE.html …] [--screenshot OUT.png]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const args = process.argv.slice(2);
const shotAt = args.indexOf("--screenshot");
const shot = shotAt >= 0 ? args.splice(shotAt, 2)[1] : null;
if (args.length === 0) {
  console.error("usage: node check.mjs PAGE.html … [--screenshot OUT.png]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
let failed = 0;
try {
  for (const file of args) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto("file://" + resolve(file));
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
    );
    for (const v of result.violations) {
      failed++;
      console.log(`${file}: ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 5)) console.log(`    ${n.target.join(" ")}`);
    }
    // Every scrollable region and control can be reached with Tab.
    const unreachable = await page.evaluate(() =>
      [...document.querySelectorAll("[tabindex]")].filter((e) => e.tabIndex < 0).length,
    );
    if (unreachable > 0) {
      failed++;
      console.log(`${file}: ${unreachable} elements taken out of the tab order`);
    }
    console.log(`${file}: ${result.passes.length} rules passed, ${result.violations.length} violated`);
    if (shot) await page.screenshot({ path: shot, fullPage: false });
    // Reflow (WCAG 1.4.10): on a 320 px wide screen nothing needs sideways scrolling of the
    // page (wide data tables scroll inside their own focusable region).
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) {
      failed++;
      console.log(`${file}: ${overflow} px wider than a 320 px screen`);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed > 0 ? 1 : 0);
