// Every document the endpoint serves, as it serves it (issue 20): the W3C
// Nu HTML Checker over both languages' pages, the embeds, the privacy
// notice, the answers to a form post without JavaScript from the English
// page and from the Arabic embed (the errors, 422; the receipt; the
// withdrawal page), the record's list and the not-found page, with no error
// at all; no `<!>` left by the server-side render in any of them. Then the
// answers for every other path: an unknown address is a 404 page in the
// language it names (or the browser's), `robots.txt` and `sitemap.xml`
// with and without `--public-url`, the icon, and `HEAD` as `GET` without a
// body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startEndpoint, launchBrowser, fillValidForm, MIN_FILL_MS, nuCheck,
  openPage, assertNoAxeViolations,
} from "./harness.mjs";

const PUBLIC_URL = "https://imrf.example/site";
let endpoint;
let configured;
let browser;
before(async () => {
  [endpoint, configured, browser] = await Promise.all([
    startEndpoint(),
    startEndpoint({ args: ["--public-url", `${PUBLIC_URL}/`] }),
    launchBrowser(),
  ]);
});
after(async () => {
  await browser?.close();
  await endpoint?.stop();
  await configured?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const get = (path, headers = {}, server = endpoint) => fetch(`${server.url}${path}`, { headers, redirect: "manual" });

/** The bodies of the answers to a post without JavaScript from the
 * document at `path` (in `lang`), as served: the form with its errors
 * (422), the receipt, and the withdrawal page its link opens. */
async function answersToPosts(path, lang, label) {
  const context = await browser.newContext({ locale: lang, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${endpoint.url}${path}`);
  const submit = "form.imrf-form button[type=submit]";
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.click(submit),
  ]);
  assert.equal(refused.status(), 422, label);
  const refusedHtml = await refused.text();
  await page.waitForLoadState();
  await fillValidForm(page, { title: `documents ${label} ${Date.now()}` });
  await sleep(MIN_FILL_MS);
  const [receipt] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(`/${lang}/receipt?`)),
    page.click(submit),
  ]);
  assert.equal(receipt.status(), 200, label);
  const receiptHtml = await receipt.text();
  await page.waitForLoadState();
  const withdraw = await page.getAttribute('a[href*="withdraw?"]', "href");
  assert.ok(withdraw, `${label}: the receipt links its withdrawal`);
  const withdrawResp = await page.goto(new URL(withdraw, page.url()).href);
  assert.equal(withdrawResp.status(), 200, label);
  const withdrawHtml = await withdrawResp.text();
  await context.close();
  return [
    [refusedHtml, `${label}: a 422 answer (errors)`],
    [receiptHtml, `${label}: a receipt`],
    [withdrawHtml, `${label}: a withdrawal page`],
  ];
}

const SERVED = [
  ["/", "the bare address (Arabic)"],
  ["/ar/", "ar page"],
  ["/en/", "en page"],
  ["/embed.html", "the embed"],
  ["/ar/embed.html", "ar embed"],
  ["/en/embed.html", "en embed"],
  ["/en/embed.html?view=form", "en embed, form only"],
  ["/ar/privacy/", "ar privacy notice"],
  ["/en/privacy/", "en privacy notice"],
  ["/ar/inputs/", "ar record list"],
  ["/en/no-such-page", "en 404"],
  ["/ar/no/such/page", "ar 404"],
  ["/x", "404 at the top"],
];

test("every document the endpoint serves passes the W3C Nu HTML Checker with no error, and none has a <!> marker", async () => {
  const served = await Promise.all(
    SERVED.map(async ([path, label]) => [await (await get(path)).text(), label]),
  );
  const posted = [
    ...(await answersToPosts("/en/", "en", "en page")),
    ...(await answersToPosts("/ar/embed.html", "ar", "ar embed")),
  ];
  const all = [...served, ...posted];
  for (const [html, label] of all) {
    assert.ok(html.startsWith("<!doctype html>") || html.startsWith("<!DOCTYPE html>"), `${label}: a document`);
    assert.ok(!html.includes("<!>"), `${label}: no Leptos marker`);
  }
  nuCheck(all.map(([html]) => html), all.map(([, label]) => label));
});

test("an unknown address is a 404 page in the language it names, else the browser's, linking home, with no script", async () => {
  for (const [path, accept, lang, home] of [
    ["/en/no-such-page", "ar", "en", "../en/"],
    ["/ar/a/b", "en", "ar", "../../ar/"],
    ["/x", "en-GB,en;q=0.9", "en", "en/"],
    ["/x", "ar", "ar", "ar/"],
    ["/nothing-here.html", "", "ar", "ar/"],
    ["/main-0123456789abcdef.css", "", "ar", "ar/"],
  ]) {
    const resp = await get(path, accept ? { "accept-language": accept } : {});
    assert.equal(resp.status, 404, path);
    assert.match(resp.headers.get("content-type"), /^text\/html/, path);
    const csp = resp.headers.get("content-security-policy");
    assert.match(csp, /^default-src 'none'; style-src 'sha256-/, `${path}: the record's strict policy`);
    assert.ok(!csp.includes("script-src"), path);
    const html = await resp.text();
    assert.ok(html.includes(`<html lang="${lang}"`), `${path} in ${lang}`);
    assert.ok(html.includes(`<p><a href="${home}">`), `${path}: links ${home}: ${html}`);
    assert.ok(!html.includes("<script"), path);
  }
  const { context, page, problems } = await openPage(browser, { locale: "en" });
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  const resp = await page.goto(`${endpoint.url}/en/no-such-page`);
  assert.equal(resp.status(), 404);
  await assertNoAxeViolations(page, "the 404 page");
  assert.deepEqual(problems, ["console error: Failed to load resource: the server responded with a status of 404 (Not Found)"]);
  assert.ok(!fetched.some((p) => /\.(js|wasm)$/.test(p)), `nothing but the document: ${fetched}`);
  await page.click(`a[href="../en/"]`);
  assert.equal(new URL(page.url()).pathname, "/en/");
  await context.close();
});

test("the icon: an SVG in the built site, linked from the documents; /favicon.ico is sent to it", async () => {
  const svg = await get("/favicon.svg");
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get("content-type"), "image/svg+xml");
  assert.match(await svg.text(), /^<svg /);
  const ico = await get("/favicon.ico");
  assert.equal(ico.status, 308);
  assert.equal(ico.headers.get("location"), "/favicon.svg");
  for (const path of ["/en/", "/ar/privacy/", "/en/inputs/", "/x"]) {
    const html = await (await get(path)).text();
    assert.match(html, /<link rel="icon" type="image\/svg\+xml" href="[^"]*favicon\.svg"/, path);
  }
});

test("robots.txt allows every path; the sitemap needs the public address, and then names every public document in both languages", async () => {
  const robots = await get("/robots.txt");
  assert.equal(robots.status, 200);
  assert.match(robots.headers.get("content-type"), /^text\/plain/);
  assert.equal(await robots.text(), "User-agent: *\nAllow: /\n");
  assert.equal((await get("/sitemap.xml")).status, 404, "no sitemap without --public-url");

  const withUrl = await (await get("/robots.txt", {}, configured)).text();
  assert.ok(withUrl.includes(`Sitemap: ${PUBLIC_URL}/sitemap.xml\n`), withUrl);
  const sitemap = await get("/sitemap.xml", {}, configured);
  assert.equal(sitemap.status, 200);
  assert.match(sitemap.headers.get("content-type"), /^application\/xml/);
  const xml = await sitemap.text();
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  for (const lang of ["ar", "en"]) {
    for (const path of [`/${lang}/`, `/${lang}/privacy/`, `/${lang}/inputs/`]) {
      assert.ok(locs.includes(`${PUBLIC_URL}${path}`), `${path}: ${locs}`);
    }
  }
  // Each named document is there.
  for (const loc of locs) {
    const path = loc.slice(PUBLIC_URL.length);
    assert.equal((await get(path, {}, configured)).status, 200, path);
  }
});

test("HEAD answers as GET does, without a body", async () => {
  for (const path of ["/", "/en/", "/en/embed.html", "/widget.js", "/favicon.svg", "/en/privacy/", "/en/inputs/", "/robots.txt", "/en/no-such-page", "/api/health"]) {
    const [g, h] = await Promise.all([get(path), fetch(`${endpoint.url}${path}`, { method: "HEAD" })]);
    assert.equal(h.status, g.status, path);
    for (const name of ["content-type", "content-security-policy", "cache-control", "vary"]) {
      assert.equal(h.headers.get(name), g.headers.get(name), `${path}: ${name}`);
    }
    assert.equal((await h.arrayBuffer()).byteLength, 0, `${path}: no body`);
    await g.arrayBuffer();
  }
});
