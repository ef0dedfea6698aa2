// A reader pays for a plain page (issue 25): the app (the WebAssembly and
// its glue) is fetched only on intent, a focus, key or press inside the form
// (web/intent.js, ARCHITECTURE.md "When the app is fetched"); typing that
// starts before it arrives is kept to the character; a language switch made
// before it arrives carries the form's values to the other document and back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEndpoint, startPartnerSite, launchBrowser, openPage, LIVE_APP, liveApp,
  assertNoAxeViolations, assertNoProblems,
} from "./harness.mjs";

let endpoint;
let partner;
let browser;

before(async () => {
  partner = await startPartnerSite(() => endpoint.url);
  endpoint = await startEndpoint({ args: ["--cors-origin", partner.origin] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await endpoint?.stop();
  await partner?.close();
});

/** The app's files: the wasm-bindgen glue and the WebAssembly. */
const isApp = (url) => /\/imrf-release-[0-9a-f]+(_bg\.wasm|\.js)$/.test(new URL(url).pathname);
const isWasm = (url) => new URL(url).pathname.endsWith(".wasm");

/** Every request the context makes, with the frame it was made for. */
function recordRequests(context) {
  const seen = [];
  context.on("request", (request) => {
    let frame = "";
    try {
      frame = request.frame().url();
    } catch {
      // A request with no frame (a worker): none here.
    }
    seen.push({ url: request.url(), frame });
  });
  return seen;
}

/** A visit without interaction: loaded, scrolled through, then the network quiet. */
async function readOnly(page) {
  await page.waitForLoadState("load");
  for (let i = 0; i < 4; i++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
}

const live = (page) => page.evaluate((sel) => !!document.querySelector(sel), LIVE_APP);

for (const lang of ["ar", "en"]) {
  test(`${lang}: a reader's visit fetches no app (page and iframe embed); a focus in the form starts it`, async () => {
    const { context, page, problems } = await openPage(browser, { locale: lang });
    const requests = recordRequests(context);
    await page.goto(`${endpoint.url}/${lang}/`);
    await readOnly(page);
    assert.deepEqual(requests.filter((r) => isApp(r.url)), [], "no glue and no .wasm without interaction");
    assert.equal(await live(page), false, "the page is its HTML");
    // The release is all there to read.
    assert.ok((await page.locator("article p").count()) > 5);

    // A focus in the form is the intent: the app comes and takes over.
    await page.focus("#imrf-name");
    await page.waitForSelector(LIVE_APP, { timeout: 30000 });
    assert.equal(requests.filter((r) => isWasm(r.url)).length, 1, "the wasm, once, after the focus");
    assert.equal(await page.evaluate(() => document.activeElement.id), "imrf-name", "the focus stays");
    await assertNoAxeViolations(page, `${lang} live after a focus`);

    // The iframe embed's own document: the same.
    const before = requests.length;
    await page.goto(`${endpoint.url}/${lang}/embed.html`);
    await readOnly(page);
    assert.deepEqual(requests.slice(before).filter((r) => isApp(r.url)), [], "the embed fetches no app without interaction");
    await page.focus("#imrf-email");
    await page.waitForSelector(LIVE_APP, { timeout: 30000 });
    assert.equal(requests.slice(before).filter((r) => isWasm(r.url)).length, 1, "the embed's wasm after a focus");
    assertNoProblems(problems, `${lang} reader, then intent`);
    await context.close();
  });
}

test("on a partner's page the iframe embed fetches no app until used, and is sized from the first paint", async () => {
  const { context, page, problems } = await openPage(browser, { locale: "en" });
  const requests = recordRequests(context);
  await page.goto(`${partner.origin}/partner.html`);
  await page.waitForSelector("iframe[data-imrf-frame][height]", { timeout: 30000 });
  await readOnly(page);
  const inFrame = () => requests.filter((r) => r.frame.includes("/embed.html"));
  assert.ok(inFrame().length > 0, "the frame's own requests are seen");
  assert.deepEqual(inFrame().filter((r) => isApp(r.url)), [], "the frame fetched no app");
  const frame = page.frames().find((f) => f.url().includes("/embed.html"));
  const content = () => frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const applied = async () => Number(await page.getAttribute("iframe[data-imrf-frame]", "height"));
  let height = await applied();
  for (let i = 0; i < 50 && height !== (await content()); i++) {
    await page.waitForTimeout(100);
    height = await applied();
  }
  assert.equal(height, await content(), "the host applied the HTML's height");
  assert.ok(height > 300, `the release and the form (${height}px)`);
  await liveApp(frame);
  assert.equal(inFrame().filter((r) => isWasm(r.url)).length, 1, "the frame's wasm after a focus");
  assertNoProblems(problems, "partner page");
  await context.close();
});

const TYPED = {
  ar: "نأمل أن يكون المنتدى فرصة لسماع أصوات المهاجرين (IMRF 2022)، ولا سيما العمال والنساء والشباب.",
  en: "We hope the forum (IMRF, May 2022) hears migrants' voices: workers, women and young people alike.",
};

for (const lang of ["ar", "en"]) {
  test(`${lang}: typing continuously through the takeover keeps every character`, async () => {
    const { context, page, problems } = await openPage(browser, { locale: lang });
    // The wasm is held until the visitor has typed a part, so the takeover comes mid-typing.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route("**/*.wasm", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${endpoint.url}/${lang}/`);
    await page.waitForLoadState("load");
    // In the page: the text area's length when the live app appears.
    await page.evaluate((sel) => {
      window.__takeoverAt = null;
      new MutationObserver((_, observer) => {
        if (document.querySelector(sel)) {
          window.__takeoverAt = document.querySelector("#imrf-input").value.length;
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, LIVE_APP);
    await page.click("#imrf-input");
    const text = TYPED[lang];
    const typing = page.keyboard.type(text, { delay: 25 });
    await page.waitForFunction(() => document.querySelector("#imrf-input").value.length >= 15);
    release();
    await typing;
    await page.waitForSelector(LIVE_APP, { timeout: 30000 });
    const at = await page.evaluate(() => window.__takeoverAt);
    assert.ok(at >= 15 && at < text.length, `the app took over while typing (at character ${at} of ${text.length})`);
    assert.equal(await page.inputValue("#imrf-input"), text, "every character, once, in order");
    assert.equal(await page.evaluate(() => document.activeElement.id), "imrf-input");
    // The live app goes on: one more key at the caret (the end).
    await page.keyboard.type("!");
    assert.equal(await page.inputValue("#imrf-input"), `${text}!`);
    console.log(`# ${lang}: the app took over at character ${at} of ${text.length}`);
    assertNoProblems(problems, `${lang} typing through the takeover`);
    await context.close();
  });
}

const values = (page) =>
  page.evaluate(() => ({
    name: document.querySelector("#imrf-name").value,
    email: document.querySelector("#imrf-email").value,
    country: document.querySelector("#imrf-country").value,
    group: document.querySelector('input[name="stakeholder_group"]:checked')?.value ?? null,
    input: document.querySelector("#imrf-input").value,
    consent: document.querySelector("#imrf-consent").checked,
  }));

test("a language switch before the app started keeps the values, both ways, and the app adopts them", async () => {
  const { context, page, problems } = await openPage(browser, { locale: "en" });
  const requests = recordRequests(context);
  // Typing is intent: the app would start. Held back here, it never arrives
  // before the switch (the switch is the HTML's plain link).
  await page.route("**/*.wasm", () => {});
  await page.goto(`${endpoint.url}/en/`);
  await page.fill("#imrf-name", "Amal Haddad");
  await page.fill("#imrf-email", "amal@example.org");
  await page.selectOption("#imrf-country", "JO");
  await page.check('input[name="stakeholder_group"][value="trade_unions"]');
  await page.fill("#imrf-input", "Line one\nسطر ثانٍ");
  await page.check("#imrf-consent");
  const typed = await values(page);
  assert.equal(await live(page), false);

  await Promise.all([page.waitForURL(/\/ar\/$/), page.click('.imrf-language-nav a[hreflang="ar"]')]);
  assert.equal(await page.getAttribute("html", "lang"), "ar");
  assert.equal(await live(page), false, "the Arabic document, before its app");
  assert.deepEqual(await values(page), typed, "the values came to the Arabic document");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "nothing is left in sessionStorage");
  await assertNoAxeViolations(page, "ar with carried values");

  // And back, with a change made in Arabic.
  await page.fill("#imrf-name", "أمل حداد");
  await Promise.all([page.waitForURL(/\/en\/$/), page.click('.imrf-language-nav a[hreflang="en"]')]);
  assert.deepEqual(await values(page), { ...typed, name: "أمل حداد" }, "the values came back to English");

  // The app, when it comes, adopts them.
  await page.unroute("**/*.wasm");
  await page.focus("#imrf-email");
  await page.waitForSelector(LIVE_APP, { timeout: 30000 });
  assert.deepEqual(await values(page), { ...typed, name: "أمل حداد" }, "the live app holds the carried values");
  assert.ok(requests.some((r) => isWasm(r.url)));
  await assertNoAxeViolations(page, "en live with carried values");
  assertNoProblems(problems.filter((p) => !/net::ERR_FAILED|Failed to load resource/.test(p)), "switch before the app");
  await context.close();
});

test("in the iframe embed, a switch before the app keeps the values and the frame's settings (its id, the host's origin)", async () => {
  const { context, page, problems } = await openPage(browser, { locale: "en" });
  const requests = recordRequests(context);
  await page.route("**/*.wasm", () => {}); // typing is intent; the app never arrives here
  await page.goto(`${partner.origin}/partner.html`);
  await page.waitForSelector("iframe[data-imrf-frame][height]", { timeout: 30000 });
  const frame = page.frames().find((f) => f.url().includes("/embed.html"));
  await frame.fill("#imrf-name", "Amal Haddad");
  await frame.fill("#imrf-input", "From the frame");
  await frame.check('input[name="stakeholder_group"][value="media"]');
  await Promise.all([
    frame.waitForURL(/\/ar\/embed\.html/),
    frame.click('.imrf-language-nav a[hreflang="ar"]'),
  ]);
  const url = new URL(frame.url());
  assert.equal(url.searchParams.get("id"), "frame-en", "the frame keeps its id");
  assert.equal(url.searchParams.get("host-origin"), partner.origin, "and where its messages go");
  assert.equal(await frame.getAttribute("html", "lang"), "ar");
  assert.deepEqual(
    await frame.evaluate(() => [
      document.querySelector("#imrf-name").value,
      document.querySelector("#imrf-input").value,
      document.querySelector('input[name="stakeholder_group"]:checked')?.value,
    ]),
    ["Amal Haddad", "From the frame", "media"],
  );
  // The Arabic document still reports its height to the partner's page.
  const content = () => frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  let applied = -1;
  for (let i = 0; i < 50 && applied !== (await content()); i++) {
    await page.waitForTimeout(100);
    applied = Number(await page.getAttribute("iframe[data-imrf-frame]", "height"));
  }
  assert.equal(applied, await content(), "the host follows the Arabic frame's height");
  assert.ok(!requests.some((r) => r.frame.includes("/ar/embed.html") && isApp(r.url)), "no app in the Arabic frame");
  assertNoProblems(problems, "frame switch before the app");
  await context.close();
});

test("on a touch screen, scrolling with a finger over the form fetches no app; a tap in a field does", async () => {
  const context = await browser.newContext({ locale: "ar", viewport: { width: 390, height: 844 }, hasTouch: true });
  const page = await context.newPage();
  const requests = recordRequests(context);
  await page.goto(`${endpoint.url}/ar/`);
  await page.waitForLoadState("load");
  // The form in view, then a finger scrolling the page from inside it.
  await page.evaluate(() => document.querySelector("#imrf-name").scrollIntoView({ block: "center" }));
  const box = await page.locator("#imrf-name").boundingBox();
  const cdp = await context.newCDPSession(page);
  const scrolled = await page.evaluate(() => window.scrollY);
  const x = Math.round(box.x + box.width / 2);
  const y0 = Math.round(box.y + box.height / 2);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y: y0 }] });
  for (let step = 1; step <= 10; step++) {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: y0 - step * 30 }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await page.waitForTimeout(300);
  console.log(`# scroll from ${scrolled} to ${await page.evaluate(() => window.scrollY)} (box ${JSON.stringify(box)})`);
  await page.waitForLoadState("networkidle");
  assert.ok((await page.evaluate(() => window.scrollY)) > scrolled, "the finger scrolled the page");
  assert.deepEqual(requests.filter((r) => isApp(r.url)), [], "a scroll is not intent");
  await page.tap("#imrf-name");
  await page.waitForSelector(LIVE_APP, { timeout: 30000 });
  assert.equal(requests.filter((r) => isWasm(r.url)).length, 1, "a tap in a field is");
  await context.close();
});
