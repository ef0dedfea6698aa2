// The public record in real Chromium against the real endpoint and the
// built site: three inputs published with the CLI (an Arabic one, an English
// one, and an Arabic one by a Latin name), both languages' lists and
// permalinks, filters without JavaScript, the chart's table, directions,
// axe-core and the W3C Nu HTML Checker with no error, no script and no
// WebAssembly fetched, a withdrawal gone at the next request, and 320 px.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  ENDPOINT_BIN,
  endpointAndBrowser,
  openPage,
  assertNoAxeViolations,
  assertNoProblems,
  nuCheck,
} from "./harness.mjs";

const suite = endpointAndBrowser();

const INPUTS = {
  arabic: { language: "ar", name: "سارة", email: "sara@example.org", country: "JO", title: "حماية العمال المهاجرين", input: "نص المدخلات بالعربية عن العمل اللائق." },
  english: { language: "en", name: "Amal Haddad", email: "amal@example.org", country: "LB", title: "Decent work for all", input: "Labour migration needs fair recruitment." },
  latinName: { language: "en", name: "John Smith", email: "john@example.org", country: "JO", title: "العمل اللائق", input: "نص عربي كتبه John Smith عن الهجرة." },
  hidden: { language: "ar", name: "خفي", email: "hidden@example.org", country: "EG", title: "غير منشور", input: "هذا النص لا يُنشر." },
};
const refs = {};
const withdrawUrls = {};

async function send(values) {
  const key = crypto.randomUUID();
  const body = { idempotency_key: key, stakeholder_group: "trade_unions", consent: true, fill_ms: 5000, ...values };
  const resp = await fetch(`${suite.endpoint.url}/api/submissions`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });
  assert.equal(resp.status, 201);
  return resp.json();
}

// Once, at the first test: the suite's endpoint is started by a hook that
// runs after this file's own top-level hooks.
let published;
const ready = () => (published ??= publishAll());
async function publishAll() {
  for (const [name, values] of Object.entries(INPUTS)) {
    const answer = await send(values);
    refs[name] = answer.reference;
    withdrawUrls[name] = answer.withdraw_url;
  }
  execFileSync(ENDPOINT_BIN, ["publish", refs.arabic, refs.english, refs.latinName, "--database-url", `sqlite://${suite.endpoint.dbPath}`]);
}

const PAGES = () => [
  ["/ar/inputs/", "ar list"],
  ["/en/inputs/", "en list"],
  [`/ar/inputs/${refs.english}`, "an English input on the Arabic page"],
  [`/en/inputs/${refs.arabic}`, "an Arabic input on the English page"],
  ["/en/inputs/?country=JO&language=ar", "a filtered list"],
  [`/en/inputs/${refs.hidden}`, "a 404"],
];

test("every record page is valid HTML and has no axe violation, no script, no WebAssembly", async () => {
  await ready();
  const pages = PAGES();
  const htmls = await Promise.all(pages.map(async ([path]) => (await fetch(`${suite.endpoint.url}${path}`)).text()));
  nuCheck(htmls, pages.map(([, label]) => label));
  for (const [path, label] of pages) {
    const { context, page, problems } = await openPage(suite.browser, { locale: "en" });
    const fetched = [];
    page.on("request", (r) => fetched.push(r.url()));
    const response = await page.goto(`${suite.endpoint.url}${path}`);
    await assertNoAxeViolations(page, label);
    // The browser reports a 404 document as a failed load; nothing else may fail.
    const expected = response.status() === 404 ? [`console error: Failed to load resource: the server responded with a status of 404 (Not Found)`] : [];
    assert.deepEqual(problems, expected, label);
    assert.deepEqual(fetched.filter((u) => /\.(js|wasm)(\?|$)/.test(u)), [], `${label}: nothing but the document`);
    assert.equal(await page.locator("script").count(), 0, label);
    await context.close();
  }
});

test("both lists show the three published inputs, each title in its own language and direction", async () => {
  await ready();
  const { context, page } = await openPage(suite.browser, { locale: "en" });
  for (const lang of ["ar", "en"]) {
    await page.goto(`${suite.endpoint.url}/${lang}/inputs/`);
    const items = await page.$$eval(".imrf-record-item h2", (hs) =>
      hs.map((h) => ({ lang: h.lang, dir: getComputedStyle(h).direction, text: h.textContent })),
    );
    assert.equal(items.length, 3, `${lang}: ${JSON.stringify(items)}`);
    const byTitle = Object.fromEntries(items.map((i) => [i.text, i]));
    assert.deepEqual(byTitle["Decent work for all"], { lang: "en", dir: "ltr", text: "Decent work for all" });
    assert.equal(byTitle["حماية العمال المهاجرين"].dir, "rtl");
    assert.equal(byTitle["العمل اللائق"].lang, "ar", "the Latin name's input is Arabic");
    const body = await page.content();
    assert.ok(!body.includes("غير منشور"), "the unpublished input is not listed");
    for (const v of Object.values(INPUTS)) assert.ok(!body.includes(v.email), `no e-mail address: ${v.email}`);
    // The chart's numbers are in the table too: Jordan 2, Lebanon 1.
    const rows = await page.$$eval("#imrf-by-country ~ table tbody tr", (trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, " ").trim()));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.ok(rows[0].endsWith("2"), JSON.stringify(rows));
  }
  // The Latin name keeps its order inside the Arabic line: it is isolated.
  await page.goto(`${suite.endpoint.url}/ar/inputs/`);
  const isolated = await page.$$eval(".imrf-record-meta bdi", (bs) => bs.map((b) => b.textContent));
  assert.ok(isolated.includes("John Smith"), JSON.stringify(isolated));
  await context.close();
});

test("filters work without JavaScript and the language link keeps them", async () => {
  await ready();
  const context = await suite.browser.newContext({ javaScriptEnabled: false, locale: "ar" });
  const page = await context.newPage();
  await page.goto(`${suite.endpoint.url}/ar/inputs/`);
  await page.selectOption("#imrf-filter-country", "JO");
  await page.selectOption("#imrf-filter-language", "ar");
  await Promise.all([page.waitForURL(/country=JO/), page.click(".imrf-record-filters button[type=submit]")]);
  assert.equal(await page.locator(".imrf-record-item").count(), 2);
  const english = page.locator('.imrf-language-nav a[hreflang="en"]');
  assert.match(await english.getAttribute("href"), /^\.\.\/\.\.\/en\/inputs\/\?country=JO&language=ar$/);
  await english.click();
  await page.waitForURL(/\/en\/inputs\/\?country=JO&language=ar$/);
  assert.equal(await page.locator(".imrf-record-item").count(), 2);
  assert.equal(await page.inputValue("#imrf-filter-country"), "JO");
  // A permalink from the list.
  await page.click(`a[href$="/inputs/${refs.latinName}"]`);
  await page.waitForURL(new RegExp(`/en/inputs/${refs.latinName}$`));
  assert.equal(await page.getAttribute("h1", "lang"), "ar");
  await context.close();
});

test("a long word and hostile text keep the page within 320 px", async () => {
  await ready();
  const answer = await send({
    language: "en",
    name: "\u202Eevil <b>bold</b>",
    email: "x@example.org",
    country: "EG",
    title: "W".repeat(200),
    input: `${"ش".repeat(3000)} <script>alert(1)</script> 👩🏽‍🌾 e\u0301`,
  });
  execFileSync(ENDPOINT_BIN, ["publish", answer.reference, "--database-url", `sqlite://${suite.endpoint.dbPath}`]);
  const { context, page, problems } = await openPage(suite.browser, { locale: "en", viewport: { width: 320, height: 640 } });
  for (const path of ["/en/inputs/", `/ar/inputs/${answer.reference}`]) {
    await page.goto(`${suite.endpoint.url}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${path} is ${width} px wide`);
    assert.equal(await page.locator("b").count(), 0, "markup in a name is text");
  }
  assertNoProblems(problems, "hostile text");
  await context.close();
  execFileSync(ENDPOINT_BIN, ["unpublish", answer.reference, "--reason", "abusive", "--database-url", `sqlite://${suite.endpoint.dbPath}`]);
});

test("a withdrawn input is gone from the pages, the files and the feeds at the next request", async () => {
  await ready();
  const base = suite.endpoint.url;
  const { context, page } = await openPage(suite.browser, { locale: "en" });
  await page.goto(`${base}${withdrawUrls.english}`);
  await Promise.all([page.waitForURL(/withdraw/), page.click(".imrf-withdraw-form button")]);
  for (const path of ["/en/inputs/", "/ar/inputs/", "/inputs.csv", "/inputs.json", "/en/inputs/feed.xml"]) {
    const text = await (await fetch(`${base}${path}`)).text();
    assert.ok(!text.includes(refs.english), `${path} still has the withdrawn input`);
    assert.ok(text.includes(refs.arabic), path);
  }
  const gone = await fetch(`${base}/ar/inputs/${refs.english}`);
  assert.equal(gone.status, 410);
  await context.close();
});

