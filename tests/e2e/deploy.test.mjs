// End to end: deployment as a partner and an operator meet it.
// - A partner page on a second origin that is on no list, with the two lines
//   of docs/embedding.md pasted and only the host changed, shows the widget;
//   with the API open to any site (no list, or --cors-allow-any-origin) a
//   submission from it is stored once.
// - The endpoint URL set when the server starts (--endpoint-url): the page
//   posts there under its CSP; scripts/configure-dist.mjs writes the same
//   files (and compressed copies) for a static host.
// - scripts/run.sh stops with a clear message for a taken port or a
//   development database inside the watched tree.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  ROOT, DIST_DIR, startEndpoint, launchBrowser, openPage, liveApp, readRows, fillValidForm,
  assertNoProblems, MIN_FILL_MS, servePage, documentedSnippet, DOCUMENTED_HOST,
} from "./harness.mjs";

const cleanups = [];
let browser;
after(async () => {
  await browser?.close();
  for (const c of cleanups.reverse()) await c();
});

async function endpoint(options) {
  const e = await startEndpoint(options);
  cleanups.push(e.stop);
  return e;
}

async function theBrowser() {
  browser ??= await launchBrowser();
  return browser;
}

/** A partner page with the documented snippet, the host replaced by `assets`. */
async function partnerPage(assets) {
  const snippet = documentedSnippet();
  assert.ok(snippet.includes(DOCUMENTED_HOST), "the snippet names the documented host");
  assert.ok(!snippet.includes("data-endpoint"), "the documented snippet needs no endpoint");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner news</title></head>
<body><main><h1>News from our partners</h1>
${snippet.replaceAll(DOCUMENTED_HOST, assets)}
</main></body></html>`;
  const page = await servePage(html);
  cleanups.push(page.close);
  return page;
}

/** Fills the one widget's form, sends it, and returns the reference shown. */
async function sendFromWidget(page, title) {
  const widget = page.locator("[data-imrf-widget]");
  const scoped = {
    fill: (sel, v) => widget.locator(sel).fill(v),
    selectOption: (sel, v) => widget.locator(sel).selectOption(v),
    check: (sel) => widget.locator(sel).check(),
  };
  await fillValidForm(scoped, { title });
  await page.waitForTimeout(MIN_FILL_MS); // a person takes longer than a bot
  await widget.locator("form button[type=submit]").click();
  const reference = (await widget.locator(".imrf-reference-number").textContent({ timeout: 20000 })).trim();
  assert.match(reference, /^IMRF-[0-9A-Z]{8}$/);
  return reference;
}

test("the documented two lines on an unlisted origin show the widget, posting to the widget's server", async () => {
  const api = await endpoint({ args: ["--cors-origin", "https://someone-else.example"] });
  const partner = await partnerPage(api.url);
  const { context, page, problems } = await openPage(await theBrowser(), { locale: "en" });
  await page.goto(partner.url);
  await page.waitForSelector("[data-imrf-widget] .imrf-app", { timeout: 30000 });
  assert.ok(
    await page.locator("[data-imrf-widget] .imrf-app").evaluate((el) => el.getBoundingClientRect().height > 100),
    "the widget is visible",
  );
  assert.equal(
    await page.locator("[data-imrf-widget]").getAttribute("data-endpoint"),
    `${api.url}/api/submissions`,
    "the default endpoint is the origin widget.js came from",
  );
  // The refusal is the browser's (its CORS messages) and the widget's one
  // warning, at load (widget.test.mjs checks the warning itself).
  const cors = /blocked by CORS policy|net::ERR_FAILED/;
  assertNoProblems(problems.filter((p) => !cors.test(p)), "partner page on an unlisted origin");
  await context.close();
});

test("with the API open, a submission from an unlisted partner origin is stored once", async () => {
  const api = await endpoint({ args: ["--cors-allow-any-origin"] });
  const partner = await partnerPage(api.url);
  const { context, page, problems } = await openPage(await theBrowser(), { locale: "en" });
  await page.goto(partner.url);
  await page.waitForSelector("[data-imrf-widget] .imrf-app", { timeout: 30000 });
  const title = `Deploy partner input ${Date.now()}`;
  const reference = await sendFromWidget(page, title);
  const rows = readRows(api.dbPath);
  assert.equal(rows.length, 1, "stored exactly once");
  assert.equal(rows[0].reference, reference);
  assert.equal(rows[0].title, title);
  assert.equal(rows[0].flagged, null);
  assertNoProblems(problems, "submission from an unlisted partner origin");
  await context.close();
});

test("--endpoint-url at start: the page posts to the configured server, under its CSP", async () => {
  const api = await endpoint({ args: ["--cors-allow-any-origin"] });
  const site = await endpoint({ args: ["--endpoint-url", `${api.url}/api/submissions`] });
  const { context, page, problems } = await openPage(await theBrowser(), { locale: "en" });
  await page.goto(`${site.url}/?lang=en`);
  await liveApp(page);
  const posted = [];
  page.on("request", (r) => r.method() === "POST" && posted.push(r.url()));
  const title = `Configured endpoint input ${Date.now()}`;
  await fillValidForm(page, { title });
  await page.waitForTimeout(MIN_FILL_MS);
  await page.click("form button[type=submit]");
  const reference = (await page.locator(".imrf-reference-number").textContent({ timeout: 20000 })).trim();
  assert.deepEqual(posted, [`${api.url}/api/submissions`]);
  const rows = readRows(api.dbPath);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].reference, reference);
  assert.equal(readRows(site.dbPath).length, 0, "nothing stored on the page's own server");
  assertNoProblems(problems, "page with a configured endpoint");
  await context.close();
});

/** GET with one Accept-Encoding; the decoded text and the encoding used. */
async function get(url, encoding) {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    request(url, { headers: { "accept-encoding": encoding } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const used = res.headers["content-encoding"] || "identity";
        const text = (used === "br" ? brotliDecompressSync(raw) : used === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
        resolve({ status: res.statusCode, used, text });
      });
    }).on("error", reject).end();
  });
}

test("scripts/configure-dist.mjs writes what the server serves with the same --endpoint-url, compressed copies included", async () => {
  const url = "https://api.imrf.example/api/submissions";
  const copy = join(mkdtempSync(join(tmpdir(), "imrf-dist-")), "dist");
  cpSync(DIST_DIR, copy, { recursive: true });
  execFileSync("node", [join(ROOT, "scripts/configure-dist.mjs"), "--endpoint-url", url, "--dist", copy]);
  // Again, with the same URL: starts from the originals, so nothing doubles.
  execFileSync("node", [join(ROOT, "scripts/configure-dist.mjs"), "--endpoint-url", url, "--dist", copy]);
  const configured = await endpoint({ args: ["--endpoint-url", url] });
  // The server writes the time each document is served into its form's
  // shown_at; a static host's copy has it empty.
  const unstamped = (text) => text.replace(/name="shown_at" value="[\d.a-f]*"/g, 'name="shown_at" value=""');
  const documents = ["/index.html", "/ar/index.html", "/en/index.html", "/ar/privacy/index.html", "/en/privacy/index.html", "/embed.html", "/ar/embed.html", "/en/embed.html"];
  for (const path of [...documents.filter((p) => existsSync(join(copy, p.slice(1)))), "/widget.js"]) {
    const want = await get(`${configured.url}${path}`, "identity");
    assert.equal(want.status, 200, path);
    assert.ok(want.text.includes(path === "/widget.js" ? url : "https://api.imrf.example"), path);
    const onDisk = readFileSync(join(copy, path.slice(1)), "utf8");
    assert.equal(onDisk, unstamped(want.text), `${path}: the script and the server differ`);
    const compressed = { br: brotliDecompressSync, gz: gunzipSync };
    for (const [ext, decompress] of Object.entries(compressed)) {
      const copyText = decompress(readFileSync(join(copy, `${path.slice(1)}.${ext}`))).toString("utf8");
      assert.equal(copyText, onDisk, `${path}.${ext} is stale`);
    }
  }
});

/** Runs scripts/run.sh with `env` and returns its status and output. */
function runScript(env) {
  const r = spawnSync("bash", [join(ROOT, "scripts/run.sh")], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

test("scripts/run.sh stops with a clear message for a taken port or a database in the watched tree", async () => {
  const holder = createServer();
  await new Promise((done) => holder.listen(0, "127.0.0.1", done));
  const port = holder.address().port;
  try {
    const taken = runScript({ IMRF_PORT: String(port) });
    assert.equal(taken.status, 1, taken.output);
    assert.match(taken.output, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already taken`));
    assert.match(taken.output, /IMRF_PORT=/);
  } finally {
    await new Promise((done) => holder.close(done));
  }
  const inside = runScript({ IMRF_PORT: "0", IMRF_DEV_DB: join(ROOT, "imrf-submissions.db") });
  assert.equal(inside.status, 1, inside.output);
  assert.match(inside.output, /inside .* which trunk watches/);
});

test("scripts/run.sh's endpoint check names the problem: an endpoint that exits, or one that does not answer", () => {
  const dir = mkdtempSync(join(tmpdir(), "imrf-run-"));
  const check = (fake) =>
    spawnSync(
      "bash",
      [
        "-c",
        `source scripts/setup.sh >/dev/null; ${fake} >"${dir}/out" 2>"${dir}/log" & ` +
          `trap "kill $! 2>/dev/null" EXIT; wait_for_endpoint $! "${dir}/out" "${dir}/log"`,
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 60000 },
    );
  // Exits at once, as when its port is taken.
  const exited = check(`bash -c 'echo "Error: binding 127.0.0.1:8080: Address in use" >&2; exit 1'`);
  assert.equal(exited.status, 1, exited.stderr);
  assert.match(exited.stderr, /the endpoint did not start: Error: binding 127\.0\.0\.1:8080: Address in use/);
  // Prints an address where nothing answers.
  const silent = check(`bash -c 'echo "listening on http://127.0.0.1:9"; sleep 60'`);
  assert.equal(silent.status, 1, silent.stderr);
  assert.match(silent.stderr, /the endpoint at http:\/\/127\.0\.0\.1:9 does not answer/);
});
