// Browser part of scripts/bench.sh: load times and language-toggle latency of
// the release build, served by the real endpoint (`--static-dir`, which
// compresses), in Debian's headless Chromium through playwright-core.
//
//   node bench/browser.mjs ROWS_FILE [--loads N] [--slow-loads N] [--toggles N]
//                          [--floor-loads N] [--heap-switches N] [--heap-rounds N]
//
// Appends one tab-separated row per measure to ROWS_FILE:
//   metric <TAB> value <TAB> unit <TAB> how measured
// Exits non-zero when the app does not render or the page logs an error.
// Uses IMRF_DIST_DIR and IMRF_ENDPOINT_BIN like the end-to-end tests.
import { appendFileSync, rmSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { startEndpoint, launchBrowser, openPage, liveApp, LIVE_APP, DIST_DIR } from "../tests/e2e/harness.mjs";

const argv = process.argv.slice(2);
const rowsFile = argv[0];
if (!rowsFile) {
  console.error("usage: node bench/browser.mjs ROWS_FILE [--loads N] [--slow-loads N] [--toggles N] [--floor-loads N] [--heap-switches N] [--heap-rounds N]");
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const LOADS = opt("--loads", 7);
const SLOW_LOADS = opt("--slow-loads", 5);
const TOGGLES = opt("--toggles", 200);
const HEAP_SWITCHES = opt("--heap-switches", 1000);
const HEAP_ROUNDS = opt("--heap-rounds", 100);
const FLOOR_LOADS = opt("--floor-loads", 15);
// A slow-3G-ish profile for Network.emulateNetworkConditions.
const SLOW = { kbps: 400, rttMs: 400, name: "slow 400 kbit/s, 400 ms" };
// Lighthouse's "slow 4G": 150 ms latency, 1.6 Mbit/s.
const SLOW_4G = { kbps: 1600, rttMs: 150, name: "slow 4G 1.6 Mbit/s, 150 ms" };

const rows = [];
const row = (metric, value, unit, how) => {
  rows.push([metric, value, unit, how]);
  console.log(`    ${metric}: ${value} ${unit}`);
};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => x.toFixed(1);

// Runs in the page before any of its scripts: stamps (performance.now(), i.e.
// milliseconds since navigation start) when an `.imrf-app` is first in the DOM
// (the page's HTML, the build's document per language), when its form takes
// typing (the text area in the DOM, then the next frame), when the app
// started by the WebAssembly is (`.imrf-app[data-live]`), when its form with
// the submit button is, and the task after
// the first animation frame after that (the frame with the form has been
// produced and the main thread is free for input; Leptos binds the event
// handlers while it builds the DOM, so they exist by then).
function installLoadProbes() {
  const marks = (window.__imrfBench = {});
  const live = ".imrf-app[data-live]";
  // Stamps "the task after the next animation frame" into marks[key].
  const afterNextFrame = (key, done) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        marks[key] = performance.now();
        done?.();
      };
      ch.port2.postMessage(0);
    });
  const check = () => {
    const now = performance.now();
    if (marks.anyApp === undefined && document.querySelector(".imrf-app")) marks.anyApp = now;
    // The page's HTML form takes typing as soon as it is painted, before any script.
    if (marks.typingDom === undefined && document.querySelector("form.imrf-form textarea#imrf-input")) {
      marks.typingDom = now;
      afterNextFrame("typing");
    }
    if (marks.app === undefined && document.querySelector(live)) marks.app = now;
    if (marks.form === undefined && document.querySelector(`${live} form.imrf-form button[type=submit]`)) {
      marks.form = now;
      afterNextFrame("interactive", () => observer.disconnect());
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

/** Network quiet: no request started or finished for `quietMs`. */
async function networkQuiet(page, activity, quietMs) {
  for (;;) {
    const seen = activity.n;
    await page.waitForTimeout(quietMs);
    if (activity.n === seen) return;
  }
}

/**
 * One fresh load (new context: empty cache and storage), first as a reader
 * (nothing touched: the load event, then the network quiet for 1 s; the
 * bytes and URLs so far), then as a sender on the same page: a focus in the
 * form (intent, web/intent.js), then the live app and its form interactive.
 */
async function oneLoad(browser, url, throttle) {
  const { context, page, problems } = await openPage(browser, { locale: "ar" });
  try {
    const cdp = await context.newCDPSession(page);
    await throttleNetwork(cdp, throttle);
    let wireBytes = 0;
    const urls = new Set();
    const activity = { n: 0 };
    cdp.on("Network.loadingFinished", (e) => {
      wireBytes += e.encodedDataLength;
      activity.n++;
    });
    cdp.on("Network.requestWillBeSent", (e) => {
      urls.add(e.request.url);
      activity.n++;
    });
    await page.addInitScript(installLoadProbes);
    await page.goto(url, { waitUntil: "commit", timeout: 120000 });
    await page.waitForLoadState("load", { timeout: 120000 });
    await page.waitForFunction(() => window.__imrfBench?.typing !== undefined, null, { timeout: 120000 });
    await networkQuiet(page, activity, 1000);
    const reader = { wireBytes, urls: [...urls] };
    if (reader.urls.some((u) => new URL(u).pathname.endsWith(".wasm"))) {
      throw new Error(`a reader's visit fetched the wasm: ${reader.urls.join(" ")}`);
    }
    // Intent: a focus in the form's first field (web/intent.js fetches the app then).
    const intent = await page.evaluate(() => {
      const at = performance.now();
      document.querySelector("#imrf-app form input:not([type=hidden])").focus({ preventScroll: true });
      return at;
    });
    await page.waitForSelector(LIVE_APP, { timeout: 120000 });
    await page.waitForFunction(() => window.__imrfBench?.interactive !== undefined, null, {
      timeout: 120000,
    });
    const marks = await page.evaluate(() => {
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return { ...window.__imrfBench, fcp: fcp ? fcp.startTime : NaN };
    });
    // Let late network events arrive before reading the byte count.
    await page.waitForTimeout(100);
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    return {
      ...marks,
      appAfterIntent: marks.app - intent,
      interactiveAfterIntent: marks.interactive - intent,
      readerBytes: reader.wireBytes,
      readerUrls: reader.urls,
      wireBytes,
      urls: [...urls],
    };
  } finally {
    await context.close();
  }
}

async function loads(browser, url, n, throttle, label) {
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(await oneLoad(browser, url, throttle));
  const pick = (k) => samples.map((s) => s[k]);
  const how = (what) =>
    `${what}; median of ${n} fresh loads (new context, empty cache), ms from navigation start` +
    (throttle ? `; CDP Network.emulateNetworkConditions ${throttle.kbps} kbit/s, ${throttle.rttMs} ms latency` : "; loopback");
  row(`Load${label}: first contentful paint`, ms(median(pick("fcp"))), "ms", how("Paint Timing first-contentful-paint"));
  row(
    `Load${label}: first .imrf-app in the DOM`,
    ms(median(pick("anyApp"))),
    "ms",
    how("MutationObserver stamp; the page's HTML (the build's document per language), before the app"),
  );
  row(
    `Load${label}: form accepts typing`,
    ms(median(pick("typing"))),
    "ms",
    how("the form's last text control (textarea#imrf-input) in the DOM, HTML or app, then the task after the next animation frame: typing works from then on (the app takes the values over)"),
  );
  const afterIntent = (what) =>
    `${what}, in ms from the intent (a focus in the form's first field, once the page has loaded and the network has been quiet for 1 s; the app is fetched only then); median of ${n} fresh loads (new context, empty cache)` +
    (throttle ? `; CDP Network.emulateNetworkConditions ${throttle.kbps} kbit/s, ${throttle.rttMs} ms latency` : "; loopback");
  row(
    `Load${label}: intent to app started (WebAssembly)`,
    ms(median(pick("appAfterIntent"))),
    "ms",
    afterIntent("MutationObserver stamp when the live app (.imrf-app[data-live]) enters the DOM"),
  );
  row(
    `Load${label}: intent to form interactive`,
    ms(median(pick("interactiveAfterIntent"))),
    "ms",
    afterIntent("the app's form.imrf-form with its submit button in the DOM, then the task after the next animation frame"),
  );
  return samples;
}

/** Body bytes of one GET as the endpoint sends them (no decoding), and the Content-Encoding. */
function servedSize(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    get(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      let n = 0;
      res.on("data", (d) => (n += d.length));
      res.on("end", () => resolve({ bytes: n, encoding: res.headers["content-encoding"] || "identity" }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

/** What the endpoint sends for each URL a fresh load fetched (same origin only). */
async function servedSizes(origin, urls, visit, withApp) {
  const local = urls.filter((u) => u.startsWith(origin));
  let total = 0;
  let wasm = null;
  const encodings = new Set();
  for (const u of local) {
    const r = await servedSize(u, "br, gzip");
    total += r.bytes;
    encodings.add(r.encoding);
    if (new URL(u).pathname.endsWith(".wasm")) wasm = r;
  }
  if (withApp && !wasm) throw new Error(`the page fetched no .wasm after intent: ${local.join(" ")}`);
  if (!withApp && wasm) throw new Error(`a reader's visit fetched the .wasm: ${local.join(" ")}`);
  const how = `body bytes of a GET with Accept-Encoding: br, gzip from imrf-endpoint --static-dir (Content-Encoding: ${[...encodings].join(", ")})`;
  if (wasm) row("Size: wasm as the endpoint serves it", String(wasm.bytes), "bytes", how);
  row(`Size: ${visit} as the endpoint serves it (${local.length} requests)`, String(total), "bytes", `${how}, for each URL the load requested: ${local.map((u) => new URL(u).pathname).join(" ")}`);
}

async function toggles(browser, url, n) {
  const { context, page, problems } = await openPage(browser, { locale: "ar" });
  try {
    await page.goto(url);
    await liveApp(page);
    await page.waitForSelector(".imrf-app[data-live] form.imrf-form", { timeout: 30000 });
    const historyBefore = await page.evaluate(() => history.length);
    const samples = [];
    for (let i = 0; i < n; i++) {
      const s = await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const root = document.querySelector(".imrf-app[data-live]");
            const headline = () => root.querySelector("h1")?.textContent ?? "";
            const lang0 = root.getAttribute("lang");
            const h0 = headline();
            const link = root.querySelector(".imrf-language-nav a[hreflang]");
            if (!link) return reject(new Error("no language link"));
            let t0 = 0;
            let done = false;
            const finish = () => {
              if (done || root.getAttribute("lang") === lang0 || headline() === h0) return;
              done = true;
              const tDom = performance.now();
              observer.disconnect();
              requestAnimationFrame(() => {
                const tFrame = performance.now();
                const ch = new MessageChannel();
                ch.port1.onmessage = () =>
                  resolve({
                    dom: tDom - t0,
                    frame: tFrame - t0,
                    painted: performance.now() - t0,
                    lang: root.getAttribute("lang"),
                  });
                ch.port2.postMessage(0);
              });
            };
            const observer = new MutationObserver(finish);
            observer.observe(document.documentElement, {
              subtree: true,
              childList: true,
              attributes: true,
              characterData: true,
            });
            setTimeout(() => !done && reject(new Error("language did not change in 5 s")), 5000);
            t0 = performance.now();
            link.click();
            // The update may be synchronous; the observer's callback runs after this task either way.
          }),
      );
      samples.push(s);
    }
    const historyAfter = await page.evaluate(() => history.length);
    const langs = new Set(samples.map((s) => s.lang));
    if (langs.size !== 2) throw new Error(`toggles did not alternate languages: ${[...langs]}`);
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    const how = (what) =>
      `${n} toggles in one page, performance.now() before link.click() to ${what}; both lang on .imrf-app and the h1 text changed`;
    const col = (k) => samples.map((s) => s[k]);
    row("Language toggle: DOM updated, median", ms(median(col("dom"))), "ms", how("the MutationObserver callback"));
    row("Language toggle: DOM updated, p95", ms(quantile(col("dom"), 0.95)), "ms", how("the MutationObserver callback (nearest rank)"));
    row("Language toggle: next frame painted, median", ms(median(col("painted"))), "ms", how("the task after the next requestAnimationFrame"));
    row("Language toggle: next frame painted, p95", ms(quantile(col("painted"), 0.95)), "ms", how("the task after the next requestAnimationFrame (nearest rank)"));
    row(
      "Language toggle: history entries added",
      String(historyAfter - historyBefore),
      "entries",
      `history.length after ${n} toggles minus before (${historyBefore} -> ${historyAfter}); must be 0 (replaceState)`,
    );
    return historyAfter - historyBefore;
  } finally {
    await context.close();
  }
}

/** JS heap in use after a forced full garbage collection (DevTools protocol). */
async function heapAfterGc(cdp) {
  // Twice: objects freed by the first collection's finalizers go in the second.
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

/**
 * `n` language switches in one page, each a click on the switcher's link and
 * then a wait for the next animation frame (so every switch is rendered, as a
 * reader's would be, rather than batched into one update).
 */
async function switchLanguage(page, n) {
  const langs = await page.evaluate(async (n) => {
    const root = document.querySelector(".imrf-app[data-live]");
    const seen = new Set();
    for (let i = 0; i < n; i++) {
      const link = root.querySelector(".imrf-language-nav a[hreflang]");
      if (!link) throw new Error("no language link");
      link.click();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      seen.add(root.getAttribute("lang"));
    }
    return [...seen];
  }, n);
  if (langs.length !== 2) throw new Error(`switches did not alternate languages: ${langs}`);
}

/**
 * One validation round: submit the empty form (the error summary and every
 * field's message appear), then type into the name field, clear it and leave
 * it (its message is checked again on blur).
 */
async function validationRound(page) {
  await page.click(".imrf-app[data-live] form.imrf-form button[type=submit]");
  await page.waitForSelector(".imrf-error-summary");
  await page.fill("#imrf-name", "x");
  await page.fill("#imrf-name", "");
  await page.locator("#imrf-name").blur();
}

async function heapGrowth(browser, url, switches, rounds) {
  const { context, page, problems } = await openPage(browser, { locale: "ar" });
  try {
    const cdp = await context.newCDPSession(page);
    await page.goto(url);
    await liveApp(page);
    await page.waitForSelector(".imrf-app[data-live] form.imrf-form", { timeout: 30000 });
    const before = await heapAfterGc(cdp);
    await switchLanguage(page, switches);
    const afterSwitches = await heapAfterGc(cdp);
    for (let i = 0; i < rounds; i++) await validationRound(page);
    const after = await heapAfterGc(cdp);
    if (problems.length) throw new Error(`page problems: ${problems.join("; ")}`);
    const how =
      "CDP HeapProfiler.collectGarbage (twice) then Runtime.getHeapUsage usedSize (the JS heap; WebAssembly linear memory is not in it)";
    const kb = (b) => (b / 1024).toFixed(0);
    const work =
      `${switches} language switches (link click, then the next animation frame) and ${rounds} validation rounds ` +
      "(submit the empty form, type into the name field, clear it, leave it)";
    row("Heap: JS heap used after start", kb(before), "KiB", `${how}; once the app's form is in the DOM`);
    row("Heap: JS heap used after the switches", kb(afterSwitches), "KiB", `${how}; after ${switches} language switches`);
    row("Heap: JS heap used after switches and validation", kb(after), "KiB", `${how}; after ${work}`);
    row("Heap: JS heap growth", kb(after - before), "KiB", `after minus after start; ${work}; the goal is under 1024 KiB`);
  } finally {
    await context.close();
  }
}


// --- The floor: a plain HTML page with the same release text -----------------
// Nothing can reach a reader sooner than a plain HTML page holding the same
// text, served the same way (the endpoint, precompressed copies). Each floor
// page is the prerendered release of one language cut out of the built
// index.html: the same markup and text, no script, no stylesheet.

/** Writes floor/ar.html and floor/en.html (and .br/.gz copies); returns the folder. */
function buildFloor(distDir) {
  const dir = mkdtempSync(join(tmpdir(), "imrf-floor-"));
  for (const lang of ["ar", "en"]) {
    const html = readFileSync(join(distDir, lang, "index.html"), "utf8");
    // The language's document holds the app's HTML between the mount comments:
    // the header and the release, then the form's section, which the floor leaves out.
    const start = html.indexOf("<!--imrf-app-->");
    const end = html.indexOf("<!--/imrf-app-->");
    if (start < 0 || end < 0) throw new Error(`the built ${lang}/index.html has no prerendered page`);
    let body = html.slice(start + "<!--imrf-app-->".length, end);
    const form = body.indexOf('<section class="imrf-submission"');
    if (form >= 0) body = body.slice(0, form) + body.slice(body.indexOf("</section>", form) + "</section>".length);
    const title = (body.match(/<h1[^>]*>([\s\S]*?)<\/h1>/) || [, "IMRF"])[1].replace(/<[^>]+>/g, "");
    const page =
      `<!doctype html><html lang="${lang}" dir="${lang === "ar" ? "rtl" : "ltr"}"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">` +
      `<title>${title}</title></head><body>${body}</body></html>`;
    for (const name of [`${lang}.html`, ...(lang === "ar" ? ["index.html"] : [])]) {
      const bytes = Buffer.from(page, "utf8");
      writeFileSync(join(dir, name), bytes);
      writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
      writeFileSync(
        join(dir, `${name}.br`),
        brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  }
  return dir;
}

// Runs in the page before its scripts: marks the first paragraph of each
// release article for the Element Timing API as soon as the parser adds it
// (before it can be painted), so its paint time is reported the same way on
// our page and on the floor.
function installParagraphProbe() {
  const tag = () => {
    for (const article of document.querySelectorAll("article")) {
      const p = article.querySelector("p");
      if (p && !p.hasAttribute("elementtiming")) p.setAttribute("elementtiming", "first-paragraph");
    }
  };
  new MutationObserver(tag).observe(document, { childList: true, subtree: true });
  window.__imrfPaint = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.identifier === "first-paragraph" && window.__imrfPaint.paragraph === undefined) {
        window.__imrfPaint.paragraph = e.renderTime || e.loadTime;
      }
    }
  }).observe({ type: "element", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === "first-contentful-paint") window.__imrfPaint.fcp = e.startTime;
    }
  }).observe({ type: "paint", buffered: true });
}

async function throttleNetwork(cdp, throttle) {
  await cdp.send("Network.enable");
  if (!throttle) return;
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: throttle.rttMs,
    downloadThroughput: (throttle.kbps * 1000) / 8,
    uploadThroughput: (throttle.kbps * 1000) / 8,
  });
}

/** One fresh load until the first contentful paint and the first paragraph's paint. */
async function paintLoad(browser, url, throttle, locale) {
  const { context, page } = await openPage(browser, { locale });
  try {
    const cdp = await context.newCDPSession(page);
    await throttleNetwork(cdp, throttle);
    await page.addInitScript(installParagraphProbe);
    await page.goto(url, { waitUntil: "commit", timeout: 120000 });
    await page.waitForFunction(
      () => window.__imrfPaint?.fcp !== undefined && window.__imrfPaint?.paragraph !== undefined,
      null,
      { timeout: 120000 },
    );
    return await page.evaluate(() => ({ ...window.__imrfPaint }));
  } finally {
    await context.close();
  }
}

/** Ours and the floor, interleaved load by load, for one profile and language. */
async function floorComparison(browser, ours, floor, throttle, lang, n) {
  const samples = { ours: [], floor: [] };
  for (let i = 0; i < n; i++) {
    samples.ours.push(await paintLoad(browser, ours, throttle, lang));
    samples.floor.push(await paintLoad(browser, floor, throttle, lang));
  }
  const label = `Floor comparison (${throttle.name}, ${lang})`;
  const how =
    `${n} fresh loads each, ours (${new URL(ours).pathname}${new URL(ours).search}, locale ${lang}) and a plain HTML page ` +
    `with the same prerendered release (no script, no stylesheet, served by the same endpoint, precompressed) interleaved; ` +
    `CDP Network.emulateNetworkConditions ${throttle.kbps} kbit/s, ${throttle.rttMs} ms latency; median / p95 (nearest rank)`;
  for (const [key, what] of [
    ["fcp", "first contentful paint"],
    ["paragraph", "first paragraph painted (Element Timing)"],
  ]) {
    const o = samples.ours.map((s) => s[key]);
    const f = samples.floor.map((s) => s[key]);
    row(`${label}: ${what}, ours`, `${ms(median(o))} / ${ms(quantile(o, 0.95))}`, "ms", how);
    row(`${label}: ${what}, floor`, `${ms(median(f))} / ${ms(quantile(f, 0.95))}`, "ms", how);
    row(`${label}: ${what}, ratio`, (median(o) / median(f)).toFixed(2), "× floor", "median ours / median floor; the goal is 1.10 or less");
  }
}

const endpoint = await startEndpoint();
// If we are stopped (scripts/bench.sh's timeout, Ctrl-C), stop the endpoint we started too.
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.once(sig, () => {
    endpoint.kill();
    rmSync(endpoint.dir, { recursive: true, force: true });
    process.exit(1);
  });
}
let browser;
let failed = false;
try {
  browser = await launchBrowser();
  const url = `${endpoint.url}/`;
  console.log(`    app at ${url} (Chromium ${browser.version()})`);
  // Warm-up, not counted (the OS's file cache, Chromium's first-run work); it also lists the URLs a load fetches.
  const warm = await oneLoad(browser, url, null);
  await servedSizes(endpoint.url, warm.readerUrls, "a reader's first visit (no interaction)", false);
  await servedSizes(endpoint.url, warm.urls, "a sender's first visit (after intent)", true);
  const fast = await loads(browser, url, LOADS, null, "");
  await loads(browser, url, SLOW_LOADS, SLOW, ` (slow network ${SLOW.kbps} kbit/s, ${SLOW.rttMs} ms RTT)`);
  const wire = "sum of CDP Network.loadingFinished encodedDataLength (headers included, compression as the endpoint serves it), median of the fresh loads on loopback";
  row(
    "First visit, a reader (no interaction): bytes over the wire (Chromium)",
    String(Math.round(median(fast.map((s) => s.readerBytes)))),
    "bytes",
    `${wire}; until the load event and 1 s without network activity`,
  );
  row(
    "First visit, a sender (after intent): bytes over the wire (Chromium)",
    String(Math.round(median(fast.map((s) => s.wireBytes)))),
    "bytes",
    `${wire}; the reader's, then a focus in the form until the live app's form is interactive`,
  );
  const grew = await toggles(browser, url, TOGGLES);
  if (grew !== 0) failed = true;
  if (HEAP_SWITCHES > 0 || HEAP_ROUNDS > 0) await heapGrowth(browser, url, HEAP_SWITCHES, HEAP_ROUNDS);
  if (FLOOR_LOADS > 0) {
    const floorDir = buildFloor(DIST_DIR);
    const floorEndpoint = await startEndpoint({ staticDir: floorDir });
    try {
      for (const throttle of [SLOW, SLOW_4G]) {
        for (const lang of ["ar", "en"]) {
          await floorComparison(
            browser,
            `${endpoint.url}/?lang=${lang}`,
            `${floorEndpoint.url}/${lang}.html`,
            throttle,
            lang,
            FLOOR_LOADS,
          );
        }
      }
    } finally {
      await floorEndpoint.stop();
      rmSync(floorEndpoint.dir, { recursive: true, force: true });
      rmSync(floorDir, { recursive: true, force: true });
    }
  }
} catch (e) {
  console.error(`browser benchmark failed: ${e.stack || e}`);
  failed = true;
} finally {
  if (browser) await browser.close();
  await endpoint.stop();
  rmSync(endpoint.dir, { recursive: true, force: true });
}
appendFileSync(rowsFile, rows.map((r) => r.join("\t") + "\n").join(""));
process.exit(failed ? 1 : 0);
