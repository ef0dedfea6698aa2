// The release as a reader gets it, in each language: every paragraph and
// quote present (checked against the content files themselves), the root's
// lang/dir, Latin runs inside Arabic isolated, no horizontal scroll at 320 px,
// the document head, and the axe-core and CSP gates.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  endpointAndBrowser, openPage, liveApp, contentBlocks, LATIN_RUNS, latinRunsInArticle,
  assertNoAxeViolations, assertNoProblems,
} from "./harness.mjs";

const suite = endpointAndBrowser();

const normalizeSpace = (s) => s.replace(/\s+/g, " ").trim();

for (const [lang, dir] of [["ar", "rtl"], ["en", "ltr"]]) {
  test(`the whole release is there in ${lang}, ${dir}, with its head`, async () => {
    const { context, page, problems } = await openPage(suite.browser, { locale: lang });
    await page.goto(`${suite.endpoint.url}/?lang=${lang}`);
    await liveApp(page);
    const content = contentBlocks(lang);

    assert.equal(await page.getAttribute(".imrf-app", "lang"), lang);
    assert.equal(await page.getAttribute(".imrf-app", "dir"), dir);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    assert.equal(await page.getAttribute("html", "dir"), dir);
    assert.equal(await page.locator("h1").count(), 1);

    for (const block of content.blocks) {
      const el = page.locator(`[id="${block.id}"]`);
      assert.equal(await el.count(), 1, `block ${block.id} is rendered once`);
      const text = normalizeSpace(await el.innerText());
      if (block.kind === "quote") {
        const caption = normalizeSpace(await el.locator("figcaption").innerText());
        const quoted = normalizeSpace(await el.locator("blockquote").innerText());
        assert.equal(caption, normalizeSpace(block.attribution), `${block.id} attribution`);
        assert.equal(quoted, normalizeSpace(block.text), `${block.id} quote`);
        assert.ok(caption.includes(block.speaker.name) || block.attribution.length < 20,
          `${block.id} names the speaker`);
      } else {
        assert.equal(text, normalizeSpace(block.text), `${block.id} text`);
      }
    }
    // Quotes are figures with a blockquote and a caption.
    assert.equal(await page.locator("article figure blockquote").count(), 3);
    // The facts nothing may drop.
    const article = await page.locator("article").innerText();
    for (const fact of ["unmignet@iom.int", "telyan@iom.int", "https://migrationnetwork.un.org/", "23", "39", "2022"]) {
      assert.ok(article.includes(fact), `${fact} is in the ${lang} article`);
    }
    assert.equal(await page.locator('article a[href="mailto:unmignet@iom.int"]').count(), 1, "once in the release (the footer has its own)");
    assert.equal(await page.locator('a[href="mailto:telyan@iom.int"]').count(), 1);
    assert.equal(await page.locator('a[href="https://migrationnetwork.un.org/"]').count(), 1);
    assert.equal(await page.locator('article a[href="#"]').count(), 0, "no dead links");
    for (const dt of ["2022-05-17", "2022-05-20", "2022-05-16", "2022-02-10", "2021-02"]) {
      assert.equal(await page.locator(`time[datetime="${dt}"]`).count(), 1, `time ${dt}`);
    }
    assert.ok((await page.locator("abbr[title]").count()) >= 3, "IMRF and MGCY are abbreviations with expansions");
    // The briefing's date: the Arabic original (verbatim) says Thursday 11 February, the
    // English the correct 10 February 2022; a translator's note beside the English date
    // says so, and the original carries none.
    const note = page.locator('#p-briefing time[datetime="2022-02-10"] + .release-translator-note');
    if (lang === "en") {
      assert.equal(await note.count(), 1, "a translator's note right after the English date");
      const said = await note.innerText();
      assert.ok(said.includes("11 February") && said.includes("Friday"), said);
    } else {
      assert.equal(await page.locator(".release-translator-note").count(), 0, "the Arabic original has no note");
    }

    // Head per language.
    assert.equal(await page.title(), content.meta.title);
    assert.equal(await page.getAttribute('meta[name="description"]', "content"), content.meta.description);
    assert.equal(await page.getAttribute('meta[property="og:title"]', "content"), content.meta.title);
    for (const hreflang of ["ar", "en", "x-default"]) {
      assert.equal(await page.locator(`link[rel="alternate"][hreflang="${hreflang}"]`).count(), 1);
    }

    await assertNoAxeViolations(page, `release in ${lang}`);
    assertNoProblems(problems, `release in ${lang}`);
    await context.close();
  });

  test(`at 320 px wide the ${lang} page does not scroll sideways`, async () => {
    const { context, page, problems } = await openPage(suite.browser, { locale: lang, viewport: { width: 320, height: 640 } });
    await page.goto(`${suite.endpoint.url}/?lang=${lang}`);
    await liveApp(page);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(widths.scroll <= widths.client, `scrollWidth ${widths.scroll} > clientWidth ${widths.client}`);
    assertNoProblems(problems, `320px ${lang}`);
    await context.close();
  });
}

test("Latin runs inside the Arabic text are isolated left-to-right", async () => {
  const { context, page } = await openPage(suite.browser, { locale: "ar" });
  await page.goto(`${suite.endpoint.url}/?lang=ar`);
  await liveApp(page);
  const runs = await page.evaluate(latinRunsInArticle, LATIN_RUNS);
  for (const [text, els] of Object.entries(runs)) {
    assert.ok(els.length >= 1, `${text} appears as its own element`);
    for (const e of els) {
      assert.equal(e.dir, "ltr", `${text} has dir=ltr`);
      assert.equal(e.direction, "ltr", `${text} is laid out ltr`);
      assert.equal(e.bidi, "isolate", `${text} is isolated`);
    }
  }
  // Latin words are marked English; addresses are direction only.
  assert.equal(runs["Solidarity Center"][0].lang, "en");
  assert.equal(runs["IMRF"][0].lang, "en");
  await context.close();
});
