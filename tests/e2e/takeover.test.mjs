// The page works before the WebAssembly and without it, and the app takes
// over without losing anything (issue 11): typed values, the chosen group,
// the focus and the caret, the scroll position; nothing moves (layout shift
// measured by the browser's Layout Instability API).
import { test } from "node:test";
import assert from "node:assert/strict";
import { endpointAndBrowser, openPage, assertNoProblems, assertNoAxeViolations } from "./harness.mjs";

const suite = endpointAndBrowser();

/** Holds every .wasm request until `release()` is called. */
async function holdWasm(page) {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/*.wasm", async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Sums layout-shift entries without recent input, from the first paint on. */
async function recordLayoutShift(page) {
  await page.addInitScript(() => {
    window.__shift = { total: 0, entries: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        window.__shift.total += e.value;
        window.__shift.entries.push({
          value: e.value,
          at: e.startTime,
          sources: (e.sources || []).map((s) => s.node?.outerHTML?.slice(0, 80) ?? "?"),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

for (const lang of ["en", "ar"]) {
  test(`${lang}: typing before the WebAssembly arrives survives the takeover (values, group, focus, caret, scroll; no layout shift)`, async () => {
    const { page, context, problems } = await openPage(suite.browser, { locale: lang, viewport: { width: 390, height: 844 } });
    await recordLayoutShift(page);
    const release = await holdWasm(page);
    await page.goto(`${suite.endpoint.url}/${lang}/`, { waitUntil: "domcontentloaded" });

    // The form is there and takes typing before the app.
    await page.fill("#imrf-name", "Amal Haddad");
    await page.fill("#imrf-email", "amal@example.org");
    await page.check('input[name="stakeholder_group"][value="trade_unions"]');
    await page.click("#imrf-title");
    await page.keyboard.type("Decent work for all");
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowLeft");
    const before = await page.evaluate(() => ({
      live: !!document.querySelector(".imrf-app[data-live]"),
      active: document.activeElement.id,
      caret: [document.activeElement.selectionStart, document.activeElement.selectionEnd],
      scrollY: window.scrollY,
    }));
    assert.equal(before.live, false, "the app must not have started yet");
    assert.equal(before.active, "imrf-title");
    assert.deepEqual(before.caret, [15, 15]);
    assert.ok(before.scrollY > 0, "typing in the title scrolled the page (a scroll position to keep)");

    release();
    await page.waitForSelector(".imrf-app[data-live]", { timeout: 30000 });
    // Two frames for anything the takeover would still move.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const after = await page.evaluate(() => ({
      name: document.querySelector("#imrf-name").value,
      email: document.querySelector("#imrf-email").value,
      title: document.querySelector("#imrf-title").value,
      group: document.querySelector('input[name="stakeholder_group"]:checked')?.value,
      active: document.activeElement.id,
      caret: [document.activeElement.selectionStart, document.activeElement.selectionEnd],
      scrollY: window.scrollY,
      shift: window.__shift,
    }));
    assert.equal(after.name, "Amal Haddad");
    assert.equal(after.email, "amal@example.org");
    assert.equal(after.title, "Decent work for all");
    assert.equal(after.group, "trade_unions");
    assert.equal(after.active, "imrf-title", "focus stays in the field the visitor was in");
    assert.deepEqual(after.caret, before.caret, "the caret stays where it was");
    assert.equal(after.scrollY, before.scrollY, "the page does not scroll");
    assert.ok(after.shift.total < 0.01, `cumulative layout shift ${after.shift.total}: ${JSON.stringify(after.shift.entries)}`);
    console.log(`# ${lang}: cumulative layout shift over load and takeover: ${after.shift.total.toFixed(4)}`);

    // The live app goes on with what was typed: the rest filled, one more key.
    await page.keyboard.type("!");
    assert.equal(await page.inputValue("#imrf-title"), "Decent work for! all");
    await assertNoAxeViolations(page, `${lang} after takeover`);
    assertNoProblems(problems, `${lang} takeover`);
    await context.close();
  });
}
