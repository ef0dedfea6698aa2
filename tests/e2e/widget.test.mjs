// End to end: the embeddable widget on a partner's page. The example partner
// page (examples/partner.html, hostile CSS, strict CSP, two widgets and an
// iframe embed) is served from a second origin by a tiny HTTP server here; the
// widget's files and the API come from the endpoint's origin, which allows
// the partner's origin (--cors-origin). The partner's cases of issue 26 run
// against the shipped deploy/imrf-endpoint.env instead: each snippet of
// docs/embedding.md, pasted as written (only the host changed) into a page
// on a second origin, stores a submission; a configuration that refuses the
// page says so at load; drafts, heading levels and the compact title.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEndpoint, startPartnerSite, readWidgetState, readHostState, launchBrowser, openPage, liveApp,
  readRows, fillValidForm, assertNoAxeViolations, assertNoProblems, MIN_FILL_MS,
  SHIPPED_ENV, DOCUMENTED_HOST, documentedSnippet, documentedFrameSnippet, servePage,
} from "./harness.mjs";

let endpoint;
let partner;
let partnerOrigin;
let browser;

before(async () => {
  partner = await startPartnerSite(() => endpoint.url);
  partnerOrigin = partner.origin;
  endpoint = await startEndpoint({ args: ["--cors-origin", partnerOrigin] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await endpoint?.stop();
  await partner?.close();
});

const WIDGETS = { ar: "#imrf-news-ar", en: "#imrf-news-en" };
const PARTNER_HTML_ATTRIBUTES = { class: "partner", dir: "ltr", lang: "en" };
const PARTNER_TITLE = "Partner Organisation: news";

async function openPartner(locale = "en") {
  const opened = await openPage(browser, { locale });
  await opened.page.goto(`${partnerOrigin}/partner.html`);
  for (const selector of Object.values(WIDGETS)) {
    await opened.page.waitForSelector(`${selector} .imrf-app`, { timeout: 30000 });
  }
  return opened;
}

/**
 * The harness's axe gate. axe reads the stylesheets of shadow roots by
 * `@import`ing them into a `<style>` element of a scratch document, which the
 * page's strict CSP refuses (a console error); those reports, and only those,
 * are axe's own doing and are dropped.
 */
async function axeGate(pageOrFrame, problems, label) {
  const before = problems.length;
  await assertNoAxeViolations(pageOrFrame, label);
  const axeNoise = (p) =>
    /Applying inline style violates the following Content Security Policy directive 'style-src /.test(p) ||
    p === "console error: CSP violation: style-src-elem blocked inline";
  const added = problems.splice(before);
  problems.push(...added.filter((p) => !axeNoise(p)));
}

/** What a widget shows, read inside its shadow root. */
function widgetState(page, selector) {
  return page.evaluate(readWidgetState, selector);
}

/** The host page's own state, which the widgets must leave alone. */
function hostState(page) {
  return page.evaluate(readHostState);
}

function assertHostUntouched(state) {
  assert.deepEqual(state.html, PARTNER_HTML_ATTRIBUTES, "the host's html attributes");
  assert.equal(state.title, PARTNER_TITLE, "the host's title");
  assert.equal(state.url, `${partnerOrigin}/partner.html`, "the host's URL");
}

/** The release headline on the app's own page, the reference for the widget's. */
async function ownHeadline(lang) {
  const { context, page } = await openPage(browser, { locale: lang });
  await page.goto(`${endpoint.url}/?lang=${lang}`);
  await liveApp(page);
  const text = (await page.locator("#imrf-app h1").first().textContent()).trim();
  await context.close();
  return text;
}

test("two widgets render in their own languages, untouched by the hostile page", async () => {
  const expected = { ar: await ownHeadline("ar"), en: await ownHeadline("en") };
  const { context, page, problems } = await openPartner("en");

  for (const [lang, selector] of Object.entries(WIDGETS)) {
    const s = await widgetState(page, selector);
    assert.equal(s.lang, lang, `${lang} widget root lang`);
    assert.equal(s.dir, lang === "ar" ? "rtl" : "ltr", `${lang} widget root dir`);
    assert.equal(s.headline, expected[lang], `${lang} headline`);
    // `* { direction: ltr !important; font-size: 30px }` and friends stay outside.
    assert.equal(s.direction, lang === "ar" ? "rtl" : "ltr", `${lang} paragraph direction`);
    assert.equal(s.fontSize, "17px", `${lang} paragraph font size (1.0625 × the visitor's 16px)`);
    assert.equal(s.letterSpacing, "normal");
    assert.equal(s.textTransform, "none");
    assert.equal(s.fontStyle, "normal");
    assert.ok(s.visible, `${lang} widget is displayed despite colliding class names`);
  }
  // The documented theming reaches in: the partner's accent on the Arabic widget's button.
  const button = await page.evaluate(() => {
    const b = document.querySelector("#imrf-news-ar").shadowRoot.querySelector("form button[type=submit]");
    const s = getComputedStyle(b);
    return { background: s.backgroundColor, radius: s.borderStartStartRadius };
  });
  assert.deepEqual(button, { background: "rgb(122, 31, 92)", radius: "0px" });
  // ...and the widget's CSS does not leak out: the page's own paragraph keeps the hostile size.
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("main > p")).fontSize), "30px");
  assertHostUntouched(await hostState(page));

  // axe: the partner page, inside the widgets' open shadow roots, and the
  // embed frame's document (another origin, which axe does not enter from the top).
  await page.waitForSelector("iframe[data-imrf-frame][height]", { timeout: 30000 });
  await axeGate(page, problems, "partner page with two widgets");
  const frame = page.frames().find((f) => f.url().includes("/embed.html"));
  await frame.waitForSelector(".imrf-app");
  await axeGate(frame, problems, "embed frame");

  // Switching one widget's language leaves the other, and the host, alone.
  const events = page.evaluate(
    () =>
      new Promise((done) =>
        document.querySelector("#imrf-news-ar").addEventListener("imrf-language-changed", (e) => done(e.detail), {
          once: true,
        }),
      ),
  );
  await page.click(`${WIDGETS.ar} .imrf-language-nav a[hreflang=en]`);
  await page.waitForSelector(`${WIDGETS.ar} .imrf-app[lang=en]`);
  assert.deepEqual(await events, { lang: "en" });
  assert.equal((await widgetState(page, WIDGETS.en)).lang, "en");
  await page.click(`${WIDGETS.en} .imrf-language-nav a[hreflang=ar]`);
  await page.waitForSelector(`${WIDGETS.en} .imrf-app[lang=ar]`);
  const ar = await widgetState(page, WIDGETS.ar);
  const en = await widgetState(page, WIDGETS.en);
  assert.equal(ar.lang, "en", "the first widget kept the language it was switched to");
  assert.equal(ar.headline, expected.en);
  assert.equal(en.lang, "ar");
  assert.equal(en.direction, "rtl");
  assert.equal(en.headline, expected.ar);
  // Each widget saved its own choice (data-id), none the page-wide key.
  assert.deepEqual(
    await page.evaluate(() => [
      localStorage.getItem("imrf-lang"),
      localStorage.getItem("imrf-lang:news-ar"),
      localStorage.getItem("imrf-lang:news-en"),
    ]),
    [null, "en", "ar"],
  );
  assertHostUntouched(await hostState(page));
  assertNoProblems(problems, "partner page");
  await context.close();
});

test("the widget defines no global names on the host page", async () => {
  const globals = async (blockWidget) => {
    const { context, page } = await openPage(browser, { locale: "en" });
    if (blockWidget) {
      await page.route(/\/(widget|imrf-frame-host)\.js$/, (route) => route.abort());
      await page.route(/\/embed\.html/, (route) => route.abort());
      await page.goto(`${partnerOrigin}/partner.html`);
      await page.waitForLoadState("load");
    } else {
      await page.goto(`${partnerOrigin}/partner.html`);
      await page.waitForSelector(`${WIDGETS.en} .imrf-app`, { timeout: 30000 });
    }
    const names = await page.evaluate(() => Object.getOwnPropertyNames(window));
    await context.close();
    return new Set(names);
  };
  const without = await globals(true);
  const added = [...(await globals(false))].filter((n) => !without.has(n));
  assert.deepEqual(added, []);
});

test("a widget the page adds later mounts too, in its own language", async () => {
  const { context, page, problems } = await openPartner("ar");
  await page.evaluate(() => {
    const late = document.createElement("section");
    late.innerHTML = '<div id="imrf-late" data-imrf-widget data-lang="en" data-id="late" data-view="release"></div>';
    document.body.append(late);
  });
  await page.waitForSelector("#imrf-late .imrf-app", { timeout: 30000 });
  const late = await widgetState(page, "#imrf-late");
  assert.equal(late.lang, "en");
  assert.equal(late.dir, "ltr");
  assert.equal(await page.locator("#imrf-late form").count(), 0, "data-view=release shows no form");
  // The widgets already there are not mounted twice.
  for (const selector of Object.values(WIDGETS)) {
    assert.equal(await page.locator(`${selector} .imrf-app`).count(), 1, selector);
  }
  assertHostUntouched(await hostState(page));
  assertNoProblems(problems, "late widget");
  await context.close();
});

test("a submission from the partner's origin is stored once", async () => {
  const { context, page, problems } = await openPartner("ar");
  const widget = page.locator(WIDGETS.ar);
  // The harness's filler, scoped to one widget (both widgets have a form with the same ids).
  const scoped = {
    fill: (sel, v) => widget.locator(sel).fill(v),
    selectOption: (sel, v) => widget.locator(sel).selectOption(v),
    check: (sel) => widget.locator(sel).check(),
  };
  const submitted = page.evaluate(
    () =>
      new Promise((done) =>
        document.querySelector("#imrf-news-ar").addEventListener("imrf-submitted", (e) => done(e.detail), {
          once: true,
        }),
      ),
  );
  const title = `IMRF widget input ${Date.now()}`;
  const values = await fillValidForm(scoped, { title });
  await page.waitForTimeout(MIN_FILL_MS); // a person takes longer than a bot
  await widget.locator("form button[type=submit]").click();
  const reference = (await widget.locator(".imrf-reference-number").textContent({ timeout: 20000 })).trim();
  assert.match(reference, /^IMRF-[0-9A-Z]{8}$/);
  assert.deepEqual(await submitted, { reference });

  const rows = readRows(endpoint.dbPath, `title = '${title}'`);
  assert.equal(rows.length, 1, "stored exactly once");
  assert.equal(rows[0].reference, reference);
  assert.equal(rows[0].language, "ar");
  assert.equal(rows[0].name, values.name);
  assert.equal(rows[0].flagged, null);
  // The other widget's form is untouched.
  assert.equal(await page.locator(`${WIDGETS.en} #imrf-title`).inputValue(), "");
  assertHostUntouched(await hostState(page));
  assertNoProblems(problems, "widget submission");
  await context.close();
});

test("inside a widget, the error summary and its links work without touching the host", async () => {
  const { context, page, problems } = await openPartner("en");
  const widget = page.locator(WIDGETS.en);
  const before = readRows(endpoint.dbPath).length;
  await widget.locator("form button[type=submit]").click();
  await widget.locator(".imrf-error-summary").waitFor();
  const focused = () =>
    page.evaluate((sel) => {
      const active = document.querySelector(sel).shadowRoot.activeElement;
      return active && (active.id || active.className);
    }, WIDGETS.en);
  await page.waitForFunction(
    (sel) => document.querySelector(sel).shadowRoot.activeElement?.className === "imrf-error-summary",
    WIDGETS.en,
    { timeout: 5000 },
  );
  assert.equal(await focused(), "imrf-error-summary");
  // The summary's link moves focus to its field in this widget (ids live in each shadow root).
  await widget.locator(".imrf-error-summary-list a[href='#imrf-email']").click();
  await page.waitForFunction(
    (sel) => document.querySelector(sel).shadowRoot.activeElement?.id === "imrf-email",
    WIDGETS.en,
  );
  assert.equal(await focused(), "imrf-email");
  // The other widget shows no errors; the host's title and URL (no #fragment) are unchanged.
  assert.equal(await page.locator(`${WIDGETS.ar} .imrf-error-summary`).count(), 0);
  assertHostUntouched(await hostState(page));
  assert.equal(readRows(endpoint.dbPath).length, before);
  assertNoProblems(problems, "widget error summary");
  await context.close();
});

test("the iframe embed reports its height and the host script applies it", async () => {
  const { context, page, problems } = await openPartner("en");
  const iframe = page.locator("iframe[data-imrf-frame]");
  await page.waitForSelector("iframe[data-imrf-frame][height]", { timeout: 30000 });
  const frame = page.frames().find((f) => f.url().includes("/embed.html"));
  assert.ok(frame, "the embed frame");
  await frame.waitForSelector(".imrf-app");
  // The frame sizes itself from its HTML on; the error summary below is the live app's.
  await liveApp(frame);
  const contentHeight = () => frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const applied = () =>
    page.evaluate(() => {
      const f = document.querySelector("iframe[data-imrf-frame]");
      return { attribute: Number(f.getAttribute("height")), style: f.style.getPropertyValue("height") };
    });
  const settle = async () => {
    // The frame reports on every change; wait until the host caught up with the content.
    for (let i = 0; i < 50; i++) {
      const want = await contentHeight();
      const got = await applied();
      if (got.attribute === want && got.style === `${want}px`) return want;
      await page.waitForTimeout(100);
    }
    assert.fail(`iframe height ${JSON.stringify(await applied())} never matched content ${await contentHeight()}`);
  };
  const first = await settle();
  assert.ok(first > 300, `a form is taller than 300px (${first})`);
  assert.equal(Math.round((await iframe.boundingBox()).height), first);
  // The frame's own document is the app's: its lang follows the widget.
  assert.equal(await frame.evaluate(() => document.documentElement.lang), "en");

  // A message that is not from the frame (here: the page itself) is ignored.
  await page.evaluate(() =>
    window.postMessage({ source: "imrf-widget", type: "resize", height: 5 }, window.location.origin),
  );
  await page.waitForTimeout(300);
  assert.equal((await applied()).attribute, first);

  // More content (the error summary): the frame grows and the host follows.
  await frame.click("form button[type=submit]");
  await frame.waitForSelector(".imrf-error-summary");
  const grown = await settle();
  assert.ok(grown > first, `taller after the error summary (${first} → ${grown})`);
  assertHostUntouched(await hostState(page));
  assertNoProblems(problems, "iframe embed");
  await context.close();
});

// ---- Issue 26: the partner, following docs/embedding.md literally ----

/** An endpoint with the shipped settings; only the address, the database and the files given. */
async function shippedEndpoint(extra = []) {
  return startEndpoint({ args: ["--config", SHIPPED_ENV, ...extra] });
}

/** A page on a second loopback origin holding `body` (the assets' host replaced). */
async function pageWith(body, assets) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Partner news</title></head>
<body><main><h1>News from our partners</h1>
${body.replaceAll(DOCUMENTED_HOST, assets)}
</main></body></html>`;
  return servePage(html);
}

/** The console warnings of `page` that start with `prefix`. */
function warningsOf(page, prefix) {
  const seen = [];
  page.on("console", (msg) => {
    if (msg.type() === "warning" && msg.text().startsWith(prefix)) seen.push(msg.text());
  });
  return seen;
}

/** Fills the form inside `scope` (a widget's locator or a frame), sends it, returns the reference shown. */
async function fillAndSend(scope, title) {
  const scoped = {
    fill: (sel, v) => scope.locator(sel).fill(v),
    selectOption: (sel, v) => scope.locator(sel).selectOption(v),
    check: (sel) => scope.locator(sel).check(),
  };
  await fillValidForm(scoped, { title });
  await new Promise((done) => setTimeout(done, MIN_FILL_MS));
  await scope.locator("form button[type=submit]").click();
  const reference = (await scope.locator(".imrf-reference-number").textContent({ timeout: 20000 })).trim();
  assert.match(reference, /^IMRF-[0-9A-Z]{8}$/);
  return reference;
}

test("the documented script snippet, as written, sends from a second origin with the shipped configuration", async () => {
  const shipped = await shippedEndpoint();
  const site = await pageWith(documentedSnippet(), shipped.url);
  const { context, page, problems } = await openPage(browser, { locale: "en" });
  const warnings = warningsOf(page, "imrf widget:");
  try {
    await page.goto(site.url);
    const widget = page.locator("[data-imrf-widget]");
    await page.waitForSelector("[data-imrf-widget] .imrf-app:not([hidden])", { timeout: 30000 });
    const title = `Shipped configuration, script embed ${Date.now()}`;
    const reference = await fillAndSend(widget, title);
    const rows = readRows(shipped.dbPath);
    assert.equal(rows.length, 1, "stored once");
    assert.equal(rows[0].reference, reference);
    assert.equal(rows[0].title, title);
    assert.deepEqual(warnings, [], "no warning where the page may send");
    assertNoProblems(problems, "the documented snippet with the shipped configuration");
  } finally {
    await context.close();
    await site.close();
    await shipped.stop();
  }
});

test("the documented iframe snippet, as written, sends with the shipped configuration and fits a 320px screen", async () => {
  const shipped = await shippedEndpoint();
  const site = await pageWith(documentedFrameSnippet(), shipped.url);
  const { context, page, problems } = await openPage(browser, { locale: "ar", viewport: { width: 320, height: 640 } });
  const warnings = warningsOf(page, "imrf frame:");
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  try {
    await page.goto(site.url);
    await page.waitForSelector("iframe[data-imrf-frame][height]", { timeout: 30000 });
    const frame = page.frames().find((f) => f.url().includes("/embed.html"));
    assert.ok(frame, "the frame shows (frame-ancestors allows any site)");
    await frame.waitForSelector(".imrf-app");
    const fit = await page.evaluate(() => {
      const f = document.querySelector("iframe[data-imrf-frame]").getBoundingClientRect();
      return { start: f.left, end: f.right, scroll: document.documentElement.scrollWidth, view: innerWidth };
    });
    assert.ok(fit.start >= 0 && fit.end <= fit.view, `the frame is inside the screen: ${JSON.stringify(fit)}`);
    assert.ok(fit.scroll <= fit.view, `no horizontal scroll: ${JSON.stringify(fit)}`);
    assert.deepEqual(wasm, [], "the host script's check fetched no app");
    await liveApp(frame);
    const title = `Shipped configuration, iframe embed ${Date.now()}`;
    const reference = await fillAndSend(frame, title);
    const rows = readRows(shipped.dbPath);
    assert.equal(rows.length, 1, "stored once");
    assert.equal(rows[0].reference, reference);
    assert.deepEqual(warnings, [], "no warning where the page may frame it");
    assertNoProblems(problems, "the documented iframe snippet with the shipped configuration");
  } finally {
    await context.close();
    await site.close();
    await shipped.stop();
  }
});

test("with a list that leaves the page out, the widget and the frame host say so at load, once, naming the setting", async () => {
  const listed = await shippedEndpoint(["--cors-origin", "https://someone-else.example"]);
  const body = `${documentedSnippet()}
<div data-imrf-widget data-lang="en" data-id="second"></div>
${documentedFrameSnippet()}`;
  const site = await pageWith(body, listed.url);
  const { context, page } = await openPage(browser, { locale: "en" });
  const widget = warningsOf(page, "imrf widget:");
  const frame = warningsOf(page, "imrf frame:");
  try {
    await page.goto(site.url);
    await page.waitForSelector("[data-imrf-widget] .imrf-app", { timeout: 30000 });
    for (let i = 0; i < 50 && (widget.length === 0 || frame.length === 0); i++) await page.waitForTimeout(100);
    await page.waitForTimeout(500); // a second warning would come now
    assert.equal(widget.length, 1, `one warning for two widgets: ${JSON.stringify(widget)}`);
    assert.match(widget[0], /IMRF_CORS_ORIGINS \(--cors-origin\)/);
    assert.ok(widget[0].includes(site.origin), "it names the page's origin");
    assert.equal(frame.length, 1, `one warning for the frame: ${JSON.stringify(frame)}`);
    assert.match(frame[0], /IMRF_FRAME_ANCESTORS \(--frame-ancestor\)/);
    const typed = await page.locator("[data-imrf-widget] #imrf-name").first().inputValue();
    assert.equal(typed, "", "said before anything was typed");
  } finally {
    await context.close();
    await site.close();
    await listed.stop();
  }
});

test("drafts stay in the tab by default (data-drafts: session, local, off)", async () => {
  const shipped = await shippedEndpoint();
  const body = ["session", "local", "off"]
    .map((d) => `<div data-imrf-widget data-lang="en" data-view="form" data-id="d-${d}"${d === "session" ? "" : ` data-drafts="${d}"`}></div>`)
    .join("\n");
  const site = await pageWith(`${body}\n<script type="module" src="${DOCUMENTED_HOST}/widget.js"></script>`, shipped.url);
  const { context, page, problems } = await openPage(browser, { locale: "en" });
  const name = (d) => page.locator(`[data-id="d-${d}"] #imrf-name`);
  try {
    await page.goto(site.url);
    await page.waitForSelector('[data-id="d-off"] .imrf-app', { timeout: 30000 });
    for (const d of ["session", "local", "off"]) await name(d).fill(`Name kept ${d}`);
    await page.waitForTimeout(1000); // the draft is saved 400 ms after the last edit
    const stored = await page.evaluate(() => {
      const all = (s) => Object.fromEntries(Object.keys(s).filter((k) => k.startsWith("imrf-draft")).map((k) => [k, s.getItem(k)]));
      return { local: all(localStorage), session: all(sessionStorage) };
    });
    assert.deepEqual(Object.keys(stored.session), ["imrf-draft-v1:d-session"], "session: in sessionStorage");
    assert.deepEqual(Object.keys(stored.local), ["imrf-draft-v1:d-local"], "local: in localStorage; nothing else there");
    assert.ok(stored.session["imrf-draft-v1:d-session"].includes("Name kept session"));
    await page.reload();
    await page.waitForSelector('[data-id="d-off"] .imrf-app', { timeout: 30000 });
    await page.waitForTimeout(300);
    assert.equal(await name("session").inputValue(), "Name kept session", "a reload in the tab keeps it");
    assert.equal(await name("local").inputValue(), "Name kept local");
    assert.equal(await name("off").inputValue(), "", "off keeps nothing");
    assertNoProblems(problems, "drafts");
  } finally {
    await context.close();
    await site.close();
    await shipped.stop();
  }
});

test("the widget's headings follow data-heading-level (h2 by default) and its title is compact in a narrow column", async () => {
  const shipped = await shippedEndpoint();
  const body = `<div data-imrf-widget data-lang="en" data-id="h-default"></div>
<section><h2>Our campaign</h2><div data-imrf-widget data-lang="en" data-id="h-three" data-heading-level="3"></div></section>
<div id="column"><div data-imrf-widget data-lang="ar" data-id="h-narrow"></div></div>
<style>#column { inline-size: 540px }</style>
<script type="module" src="${DOCUMENTED_HOST}/widget.js"></script>`;
  const site = await pageWith(body, shipped.url);
  const { context, page } = await openPage(browser, { locale: "en", viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(site.url);
    await page.waitForSelector('[data-id="h-narrow"] .imrf-app:not([hidden])', { timeout: 30000 });
    const outline = (id) =>
      page.evaluate((id) => {
        const root = document.querySelector(`[data-id="${id}"]`).shadowRoot;
        return {
          title: root.querySelector(".release-title").tagName,
          section: root.querySelector(".release-heading").tagName,
          form: root.querySelector("#imrf-form-heading").tagName,
          h1: root.querySelectorAll("h1").length,
        };
      }, id);
    assert.deepEqual(await outline("h-default"), { title: "H2", section: "H3", form: "H3", h1: 0 });
    assert.deepEqual(await outline("h-three"), { title: "H3", section: "H4", form: "H4", h1: 0 });
    assert.equal(await page.locator("h1").count(), 1, "the partner's page keeps one h1");
    const title = await page.evaluate(() => {
      const root = document.querySelector('[data-id="h-narrow"]').shadowRoot;
      const t = root.querySelector(".release-title");
      const s = getComputedStyle(t);
      return {
        width: document.querySelector("#column").getBoundingClientRect().width,
        lines: Math.round(t.getBoundingClientRect().height / parseFloat(s.lineHeight)),
        letterSpacing: s.letterSpacing,
        fontStyle: s.fontStyle,
      };
    });
    assert.equal(title.width, 540);
    assert.ok(title.lines <= 3, `the Arabic title in a 540px column takes ${title.lines} lines`);
    assert.equal(title.letterSpacing, "normal");
    assert.equal(title.fontStyle, "normal");
  } finally {
    await context.close();
    await site.close();
    await shipped.stop();
  }
});
