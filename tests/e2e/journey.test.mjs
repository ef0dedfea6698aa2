// The visitor's core journey, in every browser engine: Chromium, Firefox
// (Gecko) and WebKit, through the adapter in engines.mjs. One set of test
// bodies; IMRF_ENGINES picks the engines (default: all three). Against the
// release build served by the real endpoint with a real SQLite file:
// - the release in each language with the right lang/dir, and the Latin runs
//   inside the Arabic text isolated left-to-right;
// - the language switch keeping a half-typed form and its errors;
// - a complete submission in each language stored exactly once, with its receipt;
// - the error summary and its links moving focus;
// - the widget on a partner's page served from a second origin.
// Chromium also runs the full suite (the other *.test.mjs files).
import { describe, test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  startEndpoint, startPartnerSite, readRows, fillValidForm, contentBlocks,
  LATIN_RUNS, latinRunsInArticle, readWidgetState, readHostState, MIN_FILL_MS, assertNoAxeViolations, liveApp,
} from "./harness.mjs";
import { selectedEngines, launchEngine } from "./engines.mjs";

let endpoint;
let partner;

before(async () => {
  partner = await startPartnerSite(() => endpoint.url);
  endpoint = await startEndpoint({ args: ["--cors-origin", partner.origin] });
});

after(async () => {
  await endpoint?.stop();
  await partner?.close();
});

const normalizeSpace = (s) => s.replace(/\s+/g, " ").trim();
const DIR = { ar: "rtl", en: "ltr" };
const APP = ".imrf-app[data-live]";

/** Starts the WebAssembly app (by a focus in the form) and waits until it (not the prerendered page) has its form. */
async function appStarted(page) {
  await liveApp(page);
  return page.waitFor(
    (app) => !!document.querySelector(`${app} form.imrf-form button[type=submit]`),
    APP,
    { timeout: 30000, message: "the app started" },
  );
}

const appLang = (page) => page.evaluate((app) => document.querySelector(app).getAttribute("lang"), APP);

/** Clicks the language link to `lang` and waits until the app shows it. */
async function switchTo(page, lang) {
  await page.click(`.imrf-language-nav a[hreflang="${lang}"]`);
  await page.waitFor(
    ([app, want]) => document.querySelector(app)?.getAttribute("lang") === want,
    [APP, lang],
    { message: `the app switched to ${lang}` },
  );
}

/** Nothing was logged as an error and no CSP violation was reported (where the engine can tell). */
function assertNoProblems(engine, page, label) {
  if (engine.readsConsole) assert.deepEqual(page.problems, [], `[${engine.name}] console problems in ${label}`);
}

for (const name of selectedEngines()) {
  describe(name, () => {
    let engine;
    before(async () => {
      engine = await launchEngine(name);
    });
    afterEach(async () => {
      await engine?.closePages();
    });
    after(async () => {
      await engine?.close();
    });

    /** A fresh page (its own storage) at `path` of the endpoint, the app started. */
    async function open(path, options) {
      const page = await engine.newPage(options);
      await page.goto(`${endpoint.url}${path}`);
      await appStarted(page);
      return page;
    }

    for (const lang of ["ar", "en"]) {
      test(`${name}: the release in ${lang} is all there, ${DIR[lang]}`, async () => {
        const page = await open(`/?lang=${lang}`);
        const content = contentBlocks(lang);
        const seen = await page.evaluate(
          ({ app, ids }) => {
            const block = (id) => {
              const el = document.getElementById(id);
              if (!el) return null;
              const quote = el.querySelector("blockquote");
              return (quote || el).innerText;
            };
            const p = document.querySelector("article p");
            return {
              htmlLang: document.documentElement.lang,
              htmlDir: document.documentElement.dir,
              appLang: document.querySelector(app).getAttribute("lang"),
              appDir: document.querySelector(app).getAttribute("dir"),
              h1: document.querySelectorAll("h1").length,
              title: document.title,
              direction: getComputedStyle(p).direction,
              textAlignStart: getComputedStyle(p).textAlign,
              blocks: Object.fromEntries(ids.map((id) => [id, block(id)])),
            };
          },
          { app: APP, ids: content.blocks.map((b) => b.id) },
        );
        assert.equal(seen.htmlLang, lang);
        assert.equal(seen.htmlDir, DIR[lang]);
        assert.equal(seen.appLang, lang);
        assert.equal(seen.appDir, DIR[lang]);
        assert.equal(seen.direction, DIR[lang], "paragraphs are laid out in the language's direction");
        assert.equal(seen.h1, 1);
        assert.equal(seen.title, content.meta.title);
        for (const block of content.blocks) {
          assert.equal(normalizeSpace(seen.blocks[block.id] ?? ""), normalizeSpace(block.text), `${block.id} text`);
        }
        if (lang === "ar") {
          const runs = await page.evaluate(latinRunsInArticle, LATIN_RUNS);
          for (const [text, els] of Object.entries(runs)) {
            assert.ok(els.length >= 1, `${text} appears as its own element`);
            for (const e of els) {
              assert.deepEqual([e.dir, e.direction, e.bidi], ["ltr", "ltr", "isolate"], `${text} is an isolated ltr run`);
            }
          }
          assert.equal(runs["Solidarity Center"][0].lang, "en");
        }
        await assertNoAxeViolations(page, `[${name}] release in ${lang}`);
        assertNoProblems(engine, page, `release in ${lang}`);
        await page.close();
      });
    }

    // MiniBrowser's window cannot be narrower than 447 px (its header bar):
    // WebKit runs this at its narrowest window.
    test(`${name}: at 320 px neither language scrolls sideways`, async () => {
      const page = await open("/?lang=ar", { viewport: { width: 320, height: 640 } });
      for (const lang of ["ar", "en"]) {
        if (lang === "en") await switchTo(page, "en");
        const widths = await page.evaluate(() => ({
          inner: window.innerWidth,
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        assert.ok(widths.inner <= (name === "webkit" ? 447 : 320), `a narrow viewport (${widths.inner} px)`);
        assert.ok(widths.scroll <= widths.client, `${lang}: scrollWidth ${widths.scroll} > clientWidth ${widths.client}`);
      }
      assertNoProblems(engine, page, "320 px");
      await page.close();
    });

    test(`${name}: switching language keeps a half-typed form and its errors`, async () => {
      const page = await open("/?lang=ar");
      await page.fill("#imrf-name", "سارة");
      await page.fill("#imrf-email", "not-an-address");
      await page.fill("#imrf-input", "نص نصف مكتوب");
      await page.click("form button[type=submit]");
      await page.waitForTarget("#imrf-email-error");
      assert.match(await page.text("#imrf-email-error"), /عنوان بريد إلكتروني بالصيغة الصحيحة/);

      // By keyboard first: Enter on the link; focus stays on the switcher (on the link back).
      await page.press('.imrf-language-nav a[hreflang="en"]', "Enter");
      await page.waitFor((app) => document.querySelector(app)?.getAttribute("lang") === "en", APP);
      await page.waitFor(
        () => !!document.activeElement?.closest(".imrf-language-nav") && document.activeElement.getAttribute("hreflang") === "ar",
        null,
        { message: "focus on the switcher's link back to Arabic" },
      );
      await switchTo(page, "ar");
      await switchTo(page, "en");
      assert.equal(await page.value("#imrf-name"), "سارة");
      assert.equal(await page.value("#imrf-email"), "not-an-address");
      assert.equal(await page.value("#imrf-input"), "نص نصف مكتوب");
      assert.match(await page.text("#imrf-email-error"), /Enter an email address in the correct format/);
      assert.match(await page.text(".imrf-error-summary"), /There is a problem/);
      const head = await page.evaluate(() => [document.title, document.documentElement.lang, document.documentElement.dir]);
      assert.match(head[0], /^Error: /);
      assert.deepEqual(head.slice(1), ["en", "ltr"]);
      assert.match(await page.evaluate(() => location.pathname), /\/en\/$/, "the address is English's own");
      assertNoProblems(engine, page, "switching with a half-typed form");
      await page.close();
    });

    for (const lang of ["ar", "en"]) {
      test(`${name}: a complete submission in ${lang} is stored exactly once, with its receipt`, async () => {
        const page = await open(`/?lang=${lang}`);
        const title = `journey ${name} ${lang} ${Date.now()}`;
        const values = await fillValidForm(page, { title });
        await new Promise((r) => setTimeout(r, MIN_FILL_MS)); // a person takes longer than a bot
        await page.click("form button[type=submit]");
        await page.waitForTarget(".imrf-reference-number", 20000);
        const reference = await page.text(".imrf-reference-number");
        assert.match(reference, /^IMRF-[0-9A-Z]{8}$/);
        // Focus moves to the receipt once it has rendered.
        await page.waitFor(() => document.activeElement?.id === "imrf-receipt", null, { message: "focus on the receipt" });

        const rows = readRows(endpoint.dbPath, `title = '${title}'`);
        assert.equal(rows.length, 1, "stored exactly once");
        const row = rows[0];
        assert.equal(row.reference, reference);
        assert.equal(row.language, lang);
        assert.equal(row.name, values.name);
        assert.equal(row.organisation, values.organisation);
        assert.equal(row.email, values.email);
        assert.equal(row.country, "EG");
        assert.equal(row.stakeholder_group, "civil_society");
        assert.equal(row.input, values.input);
        assert.equal(row.flagged, null, "a person's submission is not flagged");
        assert.equal(await page.evaluate(() => localStorage.getItem("imrf-draft-v1")), null, "the draft is gone");
        await assertNoAxeViolations(page, `[${name}] receipt in ${lang}`);
        assertNoProblems(engine, page, `submission in ${lang}`);
        await page.close();
      });
    }

    test(`${name}: an empty submit shows the error summary, and its links move focus`, async () => {
      const page = await open("/?lang=en");
      const before = readRows(endpoint.dbPath).length;
      await page.click("form button[type=submit]");
      await page.waitFor(() => document.activeElement?.className === "imrf-error-summary", null, {
        message: "focus on the error summary",
      });
      assert.match(await page.evaluate(() => document.title), /^Error: /);
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute("tabindex")), "-1");
      await assertNoAxeViolations(page, `[${name}] error summary`);
      for (const id of ["imrf-email", "imrf-input"]) {
        await page.click(`.imrf-error-summary-list a[href="#${id}"]`);
        await page.waitFor((want) => document.activeElement?.id === want, id, { message: `focus on #${id}` });
      }
      // The links move focus themselves: the URL gets no #fragment.
      assert.equal(await page.evaluate(() => location.hash), "");
      assert.equal(readRows(endpoint.dbPath).length, before, "nothing stored");
      assertNoProblems(engine, page, "error summary");
      await page.close();
    });

    test(`${name}: the widget on a partner's page (second origin) renders, switches, and sends once`, async () => {
      const page = await engine.newPage();
      await page.goto(`${partner.origin}/partner.html`);
      const WIDGETS = { ar: "#imrf-news-ar", en: "#imrf-news-en" };
      for (const host of Object.values(WIDGETS)) {
        await page.waitForTarget({ host, sel: ".imrf-app form button[type=submit]" }, 30000);
        // The widget stays hidden until its stylesheet has loaded (no unstyled flash).
        await page.waitFor((sel) => document.querySelector(sel).shadowRoot.querySelector(".imrf-app")?.getBoundingClientRect().height > 0, host);
      }
      for (const [lang, host] of Object.entries(WIDGETS)) {
        const s = await page.evaluate(readWidgetState, host);
        assert.deepEqual([s.lang, s.dir, s.direction], [lang, DIR[lang], DIR[lang]], `${lang} widget`);
        assert.ok(s.visible, `${lang} widget is displayed`);
        assert.deepEqual([s.letterSpacing, s.textTransform, s.fontStyle], ["normal", "none", "normal"]);
      }
      const host = () => page.evaluate(readHostState);
      const untouched = { html: { class: "partner", dir: "ltr", lang: "en" }, title: "Partner Organisation: news", url: `${partner.origin}/partner.html` };
      assert.deepEqual(await host(), untouched);

      // Switch the Arabic widget to English: the other widget and the host stay.
      const ar = page.within(WIDGETS.ar);
      await ar.click('.imrf-language-nav a[hreflang="en"]');
      await page.waitFor((sel) => document.querySelector(sel).shadowRoot.querySelector(".imrf-app")?.lang === "en", WIDGETS.ar);
      assert.equal((await page.evaluate(readWidgetState, WIDGETS.en)).lang, "en");
      await ar.click('.imrf-language-nav a[hreflang="ar"]');
      await page.waitFor((sel) => document.querySelector(sel).shadowRoot.querySelector(".imrf-app")?.lang === "ar", WIDGETS.ar);

      // The error summary inside a shadow root: focus and links stay in the widget.
      const en = page.within(WIDGETS.en);
      await en.click("form button[type=submit]");
      await page.waitFor(
        (sel) => document.querySelector(sel).shadowRoot.activeElement?.className === "imrf-error-summary",
        WIDGETS.en,
        { message: "focus on the widget's error summary" },
      );
      await en.click('.imrf-error-summary-list a[href="#imrf-email"]');
      await page.waitFor(
        (sel) => document.querySelector(sel).shadowRoot.activeElement?.id === "imrf-email",
        WIDGETS.en,
        { message: "focus on the widget's email field" },
      );

      // A submission from the partner's origin, in Arabic: stored once, event fired.
      await page.evaluate((sel) => {
        window.__imrfSubmitted = null;
        document.querySelector(sel).addEventListener("imrf-submitted", (e) => (window.__imrfSubmitted = e.detail), {
          once: true,
        });
      }, WIDGETS.ar);
      const title = `journey widget ${name} ${Date.now()}`;
      const values = await fillValidForm(ar, { title });
      await new Promise((r) => setTimeout(r, MIN_FILL_MS));
      await ar.click("form button[type=submit]");
      await ar.waitForTarget(".imrf-reference-number", 20000);
      const reference = await ar.text(".imrf-reference-number");
      assert.match(reference, /^IMRF-[0-9A-Z]{8}$/);
      assert.deepEqual(await page.waitFor(() => window.__imrfSubmitted), { reference });
      const rows = readRows(endpoint.dbPath, `title = '${title}'`);
      assert.equal(rows.length, 1, "stored exactly once");
      assert.deepEqual([rows[0].reference, rows[0].language, rows[0].name], [reference, "ar", values.name]);
      assert.deepEqual(await host(), untouched, "the host page is untouched");
      assertNoProblems(engine, page, "partner page");
      await page.close();
    });
  });
}
