// End to end: the built app, served by the real endpoint, in real Chromium;
// a stakeholder fills in the form and the row lands in the real database once.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  endpointAndBrowser, openPage, liveApp, readRows, fillValidForm,
  assertNoAxeViolations, assertNoProblems, MIN_FILL_MS,
} from "./harness.mjs";

const suite = endpointAndBrowser();

for (const lang of ["ar", "en"]) {
  test(`a full submission in ${lang} is stored exactly once and a receipt is shown`, async () => {
    const { context, page, problems } = await openPage(suite.browser, { locale: lang });
    await page.goto(`${suite.endpoint.url}/?lang=${lang}`);
    await liveApp(page);
    await assertNoAxeViolations(page, `${lang} page on load`);
    const title = `IMRF input ${lang} ${Date.now()}`;
    const values = await fillValidForm(page, { title });
    await page.waitForTimeout(MIN_FILL_MS); // a person takes longer than a bot
    await page.click("form button[type=submit]");
    const reference = (await page.locator(".imrf-reference-number").textContent({ timeout: 20000 })).trim();
    assert.match(reference, /^IMRF-[0-9A-Z]{8}$/);
    await assertNoAxeViolations(page, `${lang} receipt`);

    const rows = readRows(suite.endpoint.dbPath, `title = '${title}'`);
    assert.equal(rows.length, 1, "stored exactly once");
    const row = rows[0];
    assert.equal(row.reference, reference);
    assert.equal(row.language, lang);
    assert.equal(row.name, values.name);
    assert.equal(row.email, values.email);
    assert.equal(row.country, "EG");
    assert.equal(row.stakeholder_group, "civil_society");
    assert.equal(row.input, values.input);
    assert.equal(row.flagged, null, "a person's submission is not flagged");
    assertNoProblems(problems, `${lang} submission`);
    // The draft is gone once the endpoint confirmed.
    assert.equal(await page.evaluate(() => localStorage.getItem("imrf-draft-v1")), null);
    await context.close();
  });
}

test("an empty submit shows the error summary, focuses it, and stores nothing", async () => {
  const { context, page, problems } = await openPage(suite.browser, { locale: "en" });
  await page.goto(`${suite.endpoint.url}/?lang=en`);
  await liveApp(page);
  const before = readRows(suite.endpoint.dbPath).length;
  await page.click("form button[type=submit]");
  await page.waitForSelector(".imrf-error-summary");
  // Focus moves to the summary once it has rendered (the next frame).
  await page.waitForFunction(() => document.activeElement?.className === "imrf-error-summary", null, {
    timeout: 5000,
  });
  assert.match(await page.title(), /^Error: /);
  await assertNoAxeViolations(page, "error summary");
  // A summary link moves focus to its field.
  await page.click(".imrf-error-summary-list a[href='#imrf-email']");
  await page.waitForFunction(() => document.activeElement?.id === "imrf-email", null, { timeout: 5000 });
  assert.equal(readRows(suite.endpoint.dbPath).length, before);
  assertNoProblems(problems, "error summary");
  await context.close();
});
