// The language switcher and the first-language order: query, saved choice,
// the page's default (meta imrf-lang), the browser's languages, Arabic.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  endpointAndBrowser, openPage, liveApp, fillValidForm,
  assertNoAxeViolations, assertNoProblems,
} from "./harness.mjs";

const suite = endpointAndBrowser();

/** A page whose navigator.languages is `languages` and whose localStorage holds `saved`. */
async function pageWith({ languages = ["fr-FR"], saved = null, metaLang = null } = {}) {
  const opened = await openPage(suite.browser, { locale: languages[0] });
  const { page } = opened;
  await page.addInitScript(
    ({ languages, saved }) => {
      Object.defineProperty(navigator, "languages", { get: () => languages });
      if (saved && !sessionStorage.getItem("seeded")) {
        localStorage.setItem("imrf-lang", saved);
        sessionStorage.setItem("seeded", "1");
      }
    },
    { languages, saved },
  );
  if (metaLang) {
    // The page's own default, as a deployment would set it in index.html.
    await page.route(`${suite.endpoint.url}/`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(
        '<meta name="imrf-endpoint"',
        `<meta name="imrf-lang" content="${metaLang}" /><meta name="imrf-endpoint"`,
      );
      await route.fulfill({ response, body });
    });
  }
  return opened;
}

const appLang = (page) => page.getAttribute(".imrf-app[data-live]", "lang");

test("each source of the first language wins over the ones after it", async () => {
  const cases = [
    { name: "query over saved, page default and browser", url: "/?lang=en", saved: "ar", metaLang: "ar", languages: ["ar"], want: "en" },
    { name: "saved over page default and browser", url: "/", saved: "en", metaLang: "ar", languages: ["ar"], want: "en" },
    { name: "page default over browser", url: "/", metaLang: "en", languages: ["ar-EG"], want: "en" },
    { name: "first of ar/en in the browser's languages", url: "/", languages: ["fr-FR", "en-GB", "ar"], want: "en" },
    { name: "browser's Arabic", url: "/", languages: ["de", "ar-SA", "en"], want: "ar" },
    { name: "Arabic when nothing matches", url: "/", languages: ["fr", "de"], want: "ar" },
  ];
  for (const c of cases) {
    const { context, page, problems } = await pageWith(c);
    await page.goto(`${suite.endpoint.url}${c.url}`);
    await liveApp(page);
    assert.equal(await appLang(page), c.want, c.name);
    assert.equal(await page.getAttribute("html", "lang"), c.want, `${c.name}: html lang`);
    assertNoProblems(problems, c.name);
    await context.close();
  }
});

test("no flash of the wrong direction: html lang/dir are right before the WebAssembly runs", async () => {
  const { context, page } = await pageWith({ languages: ["en-US"] });
  await page.route("**/*.wasm", (route) => route.abort());
  await page.goto(`${suite.endpoint.url}/`);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.getAttribute("html", "dir"), "ltr");
  // The bare address is English's document (the endpoint negotiates; a
  // static host's boot script moves to /en/ before the first paint).
  // Without WebAssembly the page's English HTML shows, and the switcher is a real link.
  const visible = await page.locator(".imrf-app:not([data-live]):visible").getAttribute("lang");
  assert.equal(visible, "en");
  const link = page.locator('.imrf-app:not([data-live]):visible .imrf-language-nav a[hreflang="ar"]');
  assert.equal(await link.getAttribute("href"), "../ar/");
  await link.click();
  await page.waitForURL(/\/ar\/$/);
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.equal(await page.locator(".imrf-app:not([data-live]):visible").getAttribute("lang"), "ar");
  await context.close();
});

test("switching keeps focus, updates everything, replaces the URL, and survives a reload", async () => {
  const { context, page, problems } = await pageWith({ languages: ["ar"] });
  await page.goto(`${suite.endpoint.url}/`);
  await liveApp(page);
  const historyBefore = await page.evaluate(() => history.length);

  // Keyboard: focus the English link and press Enter.
  await page.focus('.imrf-language-nav a[hreflang="en"]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".imrf-app").lang === "en");
  assert.equal(await page.getAttribute("html", "dir"), "ltr");
  assert.match(await page.title(), /Regional UN Network on Migration/);
  assert.equal(await page.locator("label[for=imrf-name]").textContent(), "Full name");
  // Focus lands on the link back once the switcher has re-rendered (the next frame).
  await page
    .waitForFunction(() => document.activeElement?.getAttribute("hreflang") === "ar", null, { timeout: 5000 })
    .catch(() => {});
  const focused = await page.evaluate(() => ({
    hreflang: document.activeElement.getAttribute("hreflang"),
    inNav: !!document.activeElement.closest(".imrf-language-nav"),
  }));
  assert.deepEqual(focused, { hreflang: "ar", inNav: true }, "focus stays on the switcher");
  assert.match(page.url(), /\/en\/$/, "the address is English's own");
  await assertNoAxeViolations(page, "after switching to English");

  // Ten more toggles: the URL follows, history does not grow.
  for (let i = 0; i < 10; i++) {
    await page.click(".imrf-language-nav a[hreflang]");
  }
  await page.waitForFunction(() => document.querySelector(".imrf-app").lang === "en");
  assert.equal(await page.evaluate(() => history.length), historyBefore, "one history entry");
  assert.match(page.url(), /\/en\/$/);

  // Reload: the URL says en; a bare visit remembers the saved choice.
  await page.reload();
  await liveApp(page);
  assert.equal(await appLang(page), "en");
  await page.goto(`${suite.endpoint.url}/`);
  await liveApp(page);
  assert.equal(await appLang(page), "en", "the saved choice wins over the browser's Arabic");
  assertNoProblems(problems, "switching");
  await context.close();
});

test("a half-filled form with shown errors survives any number of switches", async () => {
  const { context, page, problems } = await pageWith({ languages: ["ar"] });
  await page.goto(`${suite.endpoint.url}/`);
  await liveApp(page);
  await page.fill("#imrf-name", "سارة");
  await page.fill("#imrf-email", "not-an-address");
  await page.fill("#imrf-input", "نص نصف مكتوب");
  await page.click("form button[type=submit]");
  await page.waitForSelector(".imrf-error-summary");
  const arabicError = await page.locator("#imrf-email-error").innerText();
  assert.match(arabicError, /عنوان بريد إلكتروني بالصيغة الصحيحة/);

  for (let i = 0; i < 5; i++) await page.click(".imrf-language-nav a[hreflang]");
  await page.waitForFunction(() => document.querySelector(".imrf-app").lang === "en");
  assert.equal(await page.inputValue("#imrf-name"), "سارة");
  assert.equal(await page.inputValue("#imrf-email"), "not-an-address");
  assert.equal(await page.inputValue("#imrf-input"), "نص نصف مكتوب");
  assert.match(await page.locator("#imrf-email-error").innerText(), /Enter an email address in the correct format/);
  assert.match(await page.locator(".imrf-error-summary").innerText(), /There is a problem/);
  assert.match(await page.title(), /^Error: /);
  await assertNoAxeViolations(page, "errors after switching");
  assertNoProblems(problems, "form and switching");
  await context.close();
});

test("a submission in flight survives switches and is stored once", async () => {
  const { context, page, problems } = await pageWith({ languages: ["ar"] });
  // Hold the first request for a moment so the switch happens while it is in flight.
  let held = 0;
  await page.route("**/api/submissions", async (route) => {
    held += 1;
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(`${suite.endpoint.url}/`);
  await liveApp(page);
  const title = `in flight ${Date.now()}`;
  await fillValidForm(page, { title });
  await page.waitForTimeout(3000);
  await page.click("form button[type=submit]");
  await page.click(".imrf-language-nav a[hreflang='en']");
  await page.click(".imrf-language-nav a[hreflang='ar']");
  await page.click(".imrf-language-nav a[hreflang='en']");
  await page.waitForSelector(".imrf-reference-number", { timeout: 20000 });
  assert.match(await page.locator(".imrf-receipt h3").innerText(), /Your input has been received/);
  assert.equal(held, 1, "sent once");
  const { readRows } = await import("./harness.mjs");
  assert.equal(readRows(suite.endpoint.dbPath, `title = '${title}'`).length, 1);
  assertNoProblems(problems, "in flight");
  await context.close();
});
