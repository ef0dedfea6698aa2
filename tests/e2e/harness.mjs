// Shared parts of the end-to-end tests: the real endpoint binary serving the
// real built app on a free port with a fresh SQLite file, a real headless
// Chromium (Debian's, driven by playwright-core), the axe-core and CSP gates,
// and reading rows back from the database.
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const ROOT = resolve(import.meta.dirname, "../..");
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const VNU_JAR = join(ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");

export const ENDPOINT_BIN =
  process.env.IMRF_ENDPOINT_BIN || join(ROOT, "target/server/imrf-endpoint");
export const DIST_DIR = process.env.IMRF_DIST_DIR || join(ROOT, "dist");

/** Starts the endpoint on 127.0.0.1 with a fresh database; resolves once it listens. */
export async function startEndpoint({ args = [], staticDir = DIST_DIR } = {}) {
  assert.ok(existsSync(ENDPOINT_BIN), `endpoint binary missing: ${ENDPOINT_BIN} (build it first)`);
  assert.ok(existsSync(join(staticDir, "index.html")), `built app missing in ${staticDir}`);
  const dir = mkdtempSync(join(tmpdir(), "imrf-e2e-"));
  const dbPath = join(dir, "submissions.db");
  const child = spawn(
    ENDPOINT_BIN,
    [
      "serve",
      "--listen", "127.0.0.1:0",
      "--database-url", `sqlite://${dbPath}`,
      "--static-dir", staticDir,
      ...args,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((resolveUrl, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`endpoint did not start: ${stderr}`)), 20000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1].replace(/\/$/, ""));
      }
    });
    child.on("exit", (code) => reject(new Error(`endpoint exited ${code}: ${stderr}`)));
  });
  return {
    url,
    dbPath,
    dir,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
    kill: () => child.kill("SIGKILL"),
  };
}

/**
 * One endpoint (fresh database) and one browser for a test file, started
 * before its tests and stopped after them. Read `suite.endpoint` and
 * `suite.browser` inside tests.
 */
export function endpointAndBrowser(options) {
  const suite = { endpoint: null, browser: null };
  before(async () => {
    suite.endpoint = await startEndpoint(options);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.endpoint?.stop();
  });
  return suite;
}

/** Rows of the submissions table, read with Python's sqlite3 (independent of the endpoint). */
export function readRows(dbPath, where = "1=1") {
  const script = `
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.row_factory = sqlite3.Row
rows = [dict(r) for r in con.execute("SELECT * FROM submissions WHERE " + sys.argv[2] + " ORDER BY id")]
print(json.dumps(rows, ensure_ascii=False))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, dbPath, where], { encoding: "utf8" }));
}

const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * A fresh context and page that records console errors and CSP violations.
 * `locale` sets navigator.languages.
 */
export async function openPage(browser, { locale = "ar", viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return { context, page, problems };
}

/** The live app's marker: the page's HTML has the same markup, without `data-live`. */
export const LIVE_APP = ".imrf-app[data-live]";

/**
 * In the page: a sign of intent, as a visitor gives it. The app is fetched
 * only then (web/intent.js), so a test that needs it focuses the form's
 * first field, without scrolling, unless the app is there already. Says
 * whether it focused, so the caller can leave the focus as it found it.
 */
export function focusFormForIntent(live) {
  if (document.querySelector(live)) return false;
  const scope = document.querySelector("[data-imrf-widget][data-frame]") || document.getElementById("imrf-app");
  const controls = scope ? [...scope.querySelectorAll("form input:not([type=hidden]), form textarea, form select")] : [];
  // The first one a visitor can see (not the honeypot).
  const field = controls.find((c) => c.getClientRects().length > 0 && getComputedStyle(c).visibility !== "hidden");
  if (!field) return false;
  field.focus({ preventScroll: true });
  return true;
}

/**
 * Makes the live app start and waits until it has taken over: focuses the
 * form (a visitor's intent; the app is fetched on intent only), waits for
 * `LIVE_APP`, then takes the focus away again, so the test goes on from a
 * page nobody has touched. Works on a page or a frame (playwright), and on
 * the engine adapter's pages (engines.mjs: `evaluate` and `waitFor`).
 */
export async function liveApp(page, { timeout = 30000 } = {}) {
  const focused = await page.evaluate(focusFormForIntent, LIVE_APP);
  if (page.waitForSelector) await page.waitForSelector(LIVE_APP, { timeout });
  else await page.waitFor((live) => !!document.querySelector(live), LIVE_APP, { timeout, message: "the live app" });
  if (focused) {
    await page.evaluate(() => {
      // The takeover put the focus back on the live field: take it away
      // again, and start the tab order from the top (the body, focused for
      // a moment), as on a page nobody has touched.
      const root = document.querySelector("[data-imrf-widget][data-frame]")?.shadowRoot ?? document;
      root.activeElement?.blur();
      const body = document.body;
      const had = body.getAttribute("tabindex");
      body.tabIndex = -1;
      body.focus({ preventScroll: true });
      body.blur();
      if (had === null) body.removeAttribute("tabindex");
      else body.setAttribute("tabindex", had);
    });
  }
}

/**
 * The axe-core gate: no violations in the current page state. axe is evaluated
 * through the DevTools protocol, which the page's CSP does not govern, so the
 * page keeps its strict policy.
 */
export async function assertNoAxeViolations(page, label) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  assert.deepEqual(result, [], `axe violations in ${label}:\n${JSON.stringify(result, null, 2)}`);
}

/** The CSP/console gate: nothing was blocked or thrown. */
export function assertNoProblems(problems, label) {
  // Resource loads the tests cause on purpose (an endpoint that is down) are filtered by callers.
  assert.deepEqual(problems, [], `console problems in ${label}`);
}

/** Fills the form with a valid submission in the page's current language. */
export async function fillValidForm(page, values = {}) {
  const v = {
    name: "سارة الخطيب",
    organisation: "مركز التضامن",
    email: "sara@example.org",
    country: "EG",
    group: "civil_society",
    title: "مدخلات حول الهجرة الآمنة",
    input: "نص المدخلات: نأمل أن يكون المنتدى فرصة (IMRF) للجميع.",
    ...values,
  };
  await page.fill("#imrf-name", v.name);
  await page.fill("#imrf-organisation", v.organisation);
  await page.fill("#imrf-email", v.email);
  await page.selectOption("#imrf-country", v.country);
  await page.check(`input[name="stakeholder_group"][value="${v.group}"]`);
  await page.fill("#imrf-title", v.title);
  await page.fill("#imrf-input", v.input);
  await page.check("#imrf-consent");
  return v;
}

/** Waits the endpoint's minimum fill time so a test submission is not flagged as a bot. */
export const MIN_FILL_MS = 3000;

/**
 * A second origin: a tiny HTTP server on 127.0.0.1 that answers `path` with
 * `html` (204 for /favicon.ico, 404 otherwise). Resolves to `{ origin, url, close }`.
 */
export async function servePage(html, path = "/partner.html") {
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const asked = new URL(req.url, "http://x").pathname;
    if (asked === "/favicon.ico") {
      res.writeHead(204).end(); // browsers ask for it; not the page's fault
      return;
    }
    if (asked !== path) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: `${origin}${path}`, close: () => new Promise((done) => server.close(done)) };
}

/** The service's environment file as shipped: `startEndpoint({ args: ["--config", SHIPPED_ENV] })`. */
export const SHIPPED_ENV = join(ROOT, "deploy/imrf-endpoint.env");

/** The host docs/embedding.md's snippets name, which a test replaces by its endpoint's. */
export const DOCUMENTED_HOST = "https://imrf.example";

/** The iframe snippet of docs/embedding.md (the first html block under "Iframe embed"), as documented. */
export function documentedFrameSnippet() {
  const doc = readFileSync(join(ROOT, "docs/embedding.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Iframe embed"));
  const m = section.match(/```html\n([\s\S]*?)```/);
  assert.ok(m, "no html block under 'Iframe embed' in docs/embedding.md");
  return m[1];
}

/** The script-embed snippet of docs/embedding.md (its first html block), as documented. */
export function documentedSnippet() {
  const doc = readFileSync(join(ROOT, "docs/embedding.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Script embed"));
  const m = section.match(/```html\n([\s\S]*?)```/);
  assert.ok(m, "no html block under 'Script embed' in docs/embedding.md");
  return m[1];
}

// ------------------------------------------------------------------------
// Shared with tests/e2e/journey.test.mjs (the journey in every engine,
// through tests/e2e/engines.mjs): the content to expect, the in-page probes,
// and the partner site on a second origin.

/**
 * The blocks of a content file, with markup stripped to visible text, read
 * with Python's tomllib so the test does not share the app's parser.
 */
export function contentBlocks(lang) {
  const script = `
import json, re, sys, tomllib
data = tomllib.load(open(sys.argv[1], "rb"))
strip = lambda s: re.sub(r"\\{[a-z]+:([^|}]*)(\\|[^}]*)?\\}", r"\\1", s)
out = []
for b in data["blocks"]:
    out.append({"id": b["id"], "kind": b["kind"], "text": strip(b["text"]),
                "attribution": strip(b.get("attribution", "")), "speaker": b.get("speaker")})
print(json.dumps({"meta": data["meta"], "blocks": out}, ensure_ascii=False))
`;
  return JSON.parse(
    execFileSync("python3", ["-c", script, join(ROOT, `content/release.${lang}.toml`)], { encoding: "utf8" }),
  );
}

/** The Latin runs an Arabic article must isolate, one element each. */
export const LATIN_RUNS = ["IMRF", "MGCY", "Solidarity Center", "unmignet@iom.int", "telyan@iom.int", "https://migrationnetwork.un.org/"];

/**
 * In the page: for each text in `wanted`, the leaf elements of the article
 * holding exactly that text, with their dir, language and computed bidi.
 */
export function latinRunsInArticle(wanted) {
  const article = document.querySelector("article");
  const found = {};
  for (const text of wanted) {
    const els = [...article.querySelectorAll("*")].filter((e) => e.children.length === 0 && e.textContent === text);
    found[text] = els.map((e) => ({
      dir: e.getAttribute("dir"),
      lang: e.closest("[lang]").getAttribute("lang"),
      bidi: getComputedStyle(e).unicodeBidi,
      direction: getComputedStyle(e).direction,
    }));
  }
  return found;
}

/** In the page: what the widget at `sel` shows, read inside its shadow root. */
export function readWidgetState(sel) {
  const root = document.querySelector(sel).shadowRoot;
  const app = root.querySelector(".imrf-app");
  const p = root.querySelector(".release p");
  const style = getComputedStyle(p);
  return {
    lang: app.getAttribute("lang"),
    dir: app.getAttribute("dir"),
    headline: root.querySelector(".release-title").textContent.trim(),
    direction: style.direction,
    fontSize: style.fontSize,
    letterSpacing: style.letterSpacing,
    textTransform: style.textTransform,
    fontStyle: style.fontStyle,
    visible: app.getBoundingClientRect().height > 0,
  };
}

/** In the page: the host page's own state, which widgets must leave alone. */
export function readHostState() {
  return {
    html: Object.fromEntries(
      document.documentElement.getAttributeNames().map((n) => [n, document.documentElement.getAttribute(n)]),
    ),
    title: document.title,
    url: location.href,
  };
}

/** The asset origin written in examples/partner.html, replaced by the test endpoint's. */
export const EXAMPLE_ASSETS = "http://127.0.0.1:3000";

/**
 * Serves examples/partner.html and partner.css from a second origin on
 * 127.0.0.1, with the widget's asset origin replaced by `assetsUrl()` (read
 * per request, so the endpoint can start after this, with this origin in its
 * --cors-origin). Resolves to { origin, close }.
 */
export async function startPartnerSite(assetsUrl) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const files = { "/partner.html": "text/html", "/partner.css": "text/css" };
    if (!files[path]) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const text = readFileSync(join(ROOT, "examples", path.slice(1)), "utf8").replaceAll(EXAMPLE_ASSETS, assetsUrl());
    res.writeHead(200, { "content-type": `${files[path]}; charset=utf-8` }).end(text);
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/** Fails with the W3C Nu HTML Checker's errors in `htmls` (warnings left
 * out); one run of the checker for all, since each start takes seconds. */
export function nuCheck(htmls, labels) {
  const dir = mkdtempSync(join(tmpdir(), "imrf-vnu-"));
  const files = htmls.map((html, i) => {
    const file = join(dir, `page-${i}.html`);
    writeFileSync(file, html);
    return file;
  });
  const result = execFileSync("java", ["-jar", VNU_JAR, "--format", "json", "--exit-zero-always", "--stdout", ...files], { encoding: "utf8" });
  const errors = JSON.parse(result).messages
    .filter((m) => m.type === "error" || m.subType === "fatal")
    .map((m) => `${labels[files.findIndex((f) => m.url.endsWith(f))] ?? m.url}: ${m.message} [${m.extract ?? ""}]`);
  assert.deepEqual(errors, [], "Nu HTML Checker errors");
}
