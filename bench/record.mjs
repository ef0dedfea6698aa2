// The public record with 1,000 published inputs (scripts/bench.sh step 6):
// the first page's document size, its first paint against a plain-HTML
// floor (the same page without its stylesheet) on the 400 kbit/s profile,
// the time a loopback client waits for a filtered page and for the first
// page, and `export-site` of the whole record in both languages.
//
// usage: node bench/record.mjs ROWS_FILE [--inputs N] [--loads N] [--requests N]
import { appendFileSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { brotliCompressSync, constants } from "node:zlib";
import { startEndpoint, launchBrowser, ENDPOINT_BIN, DIST_DIR } from "../tests/e2e/harness.mjs";

const argv = process.argv.slice(2);
const rowsFile = argv[0];
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const INPUTS = opt("--inputs", 1000);
const LOADS = opt("--loads", 9);
const REQUESTS = opt("--requests", 200);
const SLOW = { kbps: 400, rttMs: 400, name: "400 kbit/s, 400 ms" };

const rows = [];
const row = (metric, value, unit, how) => {
  rows.push([metric, value, unit, how]);
  console.log(`    ${metric}: ${value} ${unit}`);
};
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const p95 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)];
const ms = (x) => x.toFixed(1);

const COUNTRIES = ["JO", "LB", "EG", "MA", "TN", "IQ", "SY", "YE", "SD", "PS"];
const GROUPS = ["migrants", "civil_society", "trade_unions", "academia", "media", "private_sector"];

async function seed(url) {
  const references = [];
  for (let i = 0; i < INPUTS; i++) {
    const arabic = i % 2 === 0;
    const key = crypto.randomUUID();
    const body = {
      idempotency_key: key,
      language: arabic ? "ar" : "en",
      name: arabic ? `سارة ${i}` : `Amal Haddad ${i}`,
      email: `person${i}@example.org`,
      country: COUNTRIES[i % COUNTRIES.length],
      stakeholder_group: GROUPS[i % GROUPS.length],
      title: arabic ? `حماية حقوق العمال المهاجرين ${i}` : `Decent work and fair recruitment ${i}`,
      input: (arabic ? "نص المدخلات عن الهجرة الآمنة والمنظمة والنظامية. " : "Text of the input on safe, orderly and regular migration. ").repeat(12),
      consent: true,
      fill_ms: 5000,
    };
    const resp = await fetch(`${url}/api/submissions`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    });
    if (resp.status !== 201) throw new Error(`seeding: ${resp.status}`);
    references.push((await resp.json()).reference);
  }
  return references;
}

async function paint(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: SLOW.rttMs,
    downloadThroughput: (SLOW.kbps * 1000) / 8,
    uploadThroughput: (SLOW.kbps * 1000) / 8,
  });
  await page.goto(url, { waitUntil: "load" });
  const fcp = await page.evaluate(
    () =>
      new Promise((done) => {
        const found = () => performance.getEntriesByName("first-contentful-paint")[0];
        if (found()) return done(found().startTime);
        new PerformanceObserver(() => found() && done(found().startTime)).observe({ type: "paint", buffered: true });
      }),
  );
  await context.close();
  return fcp;
}

async function timed(url, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const resp = await fetch(url, { headers: { "accept-encoding": "br" } });
    await resp.arrayBuffer();
    times.push(performance.now() - t0);
    if (resp.status !== 200) throw new Error(`${url}: ${resp.status}`);
  }
  return times;
}

const endpoint = await startEndpoint({ args: ["--rate-limit-per-minute", "0"] });
let browser;
let floor;
let failed = false;
const work = mkdtempSync(join(tmpdir(), "imrf-bench-record-"));
try {
  const db = `sqlite://${endpoint.dbPath}`;
  const references = await seed(endpoint.url);
  execFileSync(ENDPOINT_BIN, ["publish", ...references, "--database-url", db], { stdio: "ignore" });
  const how = `${INPUTS} published inputs (half Arabic, half English), loopback, a fresh SQLite file`;

  // Size: the first page's document as the endpoint serves it, and brotli -q 11.
  const floorDir = join(work, "floor");
  mkdirSync(floorDir);
  writeFileSync(join(floorDir, "index.html"), "<!doctype html><title>floor</title>");
  for (const lang of ["ar", "en"]) {
    const html = await (await fetch(`${endpoint.url}/${lang}/inputs/`)).text();
    const br = brotliCompressSync(Buffer.from(html), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    row(`Record (${lang}): first page's document, brotli`, String(br), "bytes", `${how}; /${lang}/inputs/, 20 inputs, counts, chart and filters; brotli -q 11 (the goal is under 30 KB)`);
    // The floor: the same document without its stylesheet, served the same way.
    writeFileSync(join(floorDir, `${lang}.html`), html.replace(/<style>[\s\S]*?<\/style>/, ""));
  }
  floor = await startEndpoint({ staticDir: floorDir });

  // Speed as a loopback client sees it: the whole answer, brotli.
  for (const [label, path] of [
    ["first page", "/en/inputs/"],
    ["filtered page", "/ar/inputs/?country=JO&group=migrants&language=ar"],
  ]) {
    await timed(`${endpoint.url}${path}`, 10);
    const t = await timed(`${endpoint.url}${path}`, REQUESTS);
    row(`Record: ${label}, answer time median / p95`, `${ms(median(t))} / ${ms(p95(t))}`, "ms", `${how}; ${REQUESTS} sequential GET ${path} after 10 warm-up (the goal for a filtered page: p95 under 20 ms on SQLite)`);
  }

  // First paint against the floor, interleaved, on the slow profile.
  browser = await launchBrowser();
  for (const lang of ["ar", "en"]) {
    const ours = [];
    const plain = [];
    for (let i = 0; i < LOADS; i++) {
      ours.push(await paint(browser, `${endpoint.url}/${lang}/inputs/`));
      plain.push(await paint(browser, `${floor.url}/${lang}.html`));
    }
    row(
      `Record (${lang}): first contentful paint, ours / floor`,
      `${ms(median(ours))} / ${ms(median(plain))}`,
      "ms",
      `${LOADS} fresh loads each, interleaved, CDP ${SLOW.name}; the floor is the same document without its stylesheet, served by the endpoint; medians`,
    );
    row(`Record (${lang}): first contentful paint, ratio`, (median(ours) / median(plain)).toFixed(2), "× floor", "median ours / median floor; the goal is 1.10 or less");
  }

  // export-site: the whole record in both languages.
  const t0 = performance.now();
  execFileSync(ENDPOINT_BIN, ["export-site", "--to", join(work, "site"), "--static-dir", DIST_DIR, "--database-url", db], { stdio: "ignore" });
  row("Record: export-site", ms((performance.now() - t0) / 1000), "s", `${how}; imrf-endpoint export-site --to DIR --static-dir dist: dist/ copied, every list page and permalink in both languages, feeds, CSV and JSON (the goal is under 10 s)`);
} catch (e) {
  console.error(`record benchmark failed: ${e.stack || e}`);
  failed = true;
} finally {
  if (browser) await browser.close();
  if (floor) {
    await floor.stop();
    rmSync(floor.dir, { recursive: true, force: true });
  }
  await endpoint.stop();
  rmSync(endpoint.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
if (rowsFile) appendFileSync(rowsFile, rows.map((r) => r.join("\t") + "\n").join(""));
process.exit(failed ? 1 : 0);
