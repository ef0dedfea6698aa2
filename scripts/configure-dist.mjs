// Points a built app (dist/) at a submissions endpoint, for static hosts that
// serve dist/ without imrf-endpoint (which does the same at start with
// --endpoint-url). One step, after `trunk build --release`:
//
//   node scripts/configure-dist.mjs --endpoint-url https://api.example.org/api/submissions [--dist dist]
//
// It rewrites, consistently, every file that names the endpoint:
//   index.html, ar/index.html, en/index.html, ar/privacy/index.html, en/privacy/index.html
//               <meta name="imrf-endpoint" content>, every form's action,
//               and the meta CSP's connect-src and form-action (the
//               endpoint's origin added);
//   embed.html, ar/embed.html, en/embed.html  the same;
//   widget.js   the default endpoint of widgets without data-endpoint;
// and writes their .br and .gz copies again, so no stale compressed copy is
// served. The built originals are kept in dist/.imrf-original/ and each run
// starts from them, so running it again with another URL is safe.
// The rules are those of crates/endpoint/src/documents.rs; keep them the same.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const WIDGET_MARKER = 'const DEFAULT_ENDPOINT = "';
// The files that name the endpoint (documents.rs's DOCUMENTS).
const DOCUMENTS = [
  "index.html",
  "ar/index.html",
  "en/index.html",
  "ar/privacy/index.html",
  "en/privacy/index.html",
  "embed.html",
  "ar/embed.html",
  "en/embed.html",
  "widget.js",
];

export function checkEndpointUrl(raw) {
  const url = String(raw ?? "").trim();
  const bad = [...url].some((c) => c < "!" || c > "~" || "\"'<>\\`;,&".includes(c));
  if (!url || bad) {
    throw new Error(
      `--endpoint-url ${JSON.stringify(raw)}: expected a URL like https://imrf.example/api/submissions ` +
        "(no spaces, quotes, <, >, \\, `, ;, , or &)",
    );
  }
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  endpointOrigin(url);
  return url;
}

/** The origin of an absolute endpoint URL, lower-cased; null for a path on the same server. */
export function endpointOrigin(url) {
  if (url.startsWith("/") && !url.startsWith("//")) return null;
  const m = /^(https?):\/\/([^/?#]+)/.exec(url);
  if (!m || /[*@ ]/.test(m[2])) {
    throw new Error(`--endpoint-url ${JSON.stringify(url)}: expected an http(s) URL or a path starting with /`);
  }
  return `${m[1]}://${m[2]}`.toLowerCase();
}

export function addSource(csp, directive, source) {
  const parts = csp.split(";").map((d) => d.trim()).filter(Boolean);
  const nameOf = (d) => (d.split(/\s+/)[0] || "").toLowerCase();
  const i = parts.findIndex((d) => nameOf(d) === directive);
  if (i >= 0) {
    const sources = parts[i].split(/\s+/).slice(1);
    if (sources.length === 1 && sources[0] === "'none'") parts[i] = `${directive} ${source}`;
    else if (!sources.includes(source)) parts[i] = `${parts[i]} ${source}`;
  } else {
    const def = parts.find((d) => nameOf(d) === "default-src");
    if (def) {
      const sources = def.split(/\s+/).slice(1).filter((s) => s !== "'none'");
      if (!sources.includes(source)) sources.push(source);
      parts.push(`${directive} ${sources.join(" ")}`);
    }
  }
  return parts.join("; ");
}

export function allowEndpoint(csp, origin) {
  return origin ? addSource(addSource(csp, "connect-src", origin), "form-action", origin) : csp;
}

function replaceAttrAfter(html, anchor, attr, f) {
  const at = html.indexOf(anchor);
  if (at < 0) return null;
  const tagEnd = html.indexOf(">", at);
  if (tagEnd < 0) return null;
  const open = `${attr}="`;
  const rel = html.slice(at, tagEnd).indexOf(open);
  if (rel < 0) return null;
  const start = at + rel + open.length;
  const end = html.indexOf('"', start);
  if (end < 0) return null;
  return html.slice(0, start) + f(html.slice(start, end)) + html.slice(end);
}

/** Sets the `action` of every `<form>` (the static form posts to the endpoint). */
export function rewriteFormActions(html, url) {
  let out = "";
  let rest = html;
  for (;;) {
    const at = rest.indexOf("<form ");
    const tagEnd = at < 0 ? -1 : rest.indexOf(">", at);
    const rel = tagEnd < 0 ? -1 : rest.slice(at, tagEnd).indexOf('action="');
    if (rel < 0) break;
    const start = at + rel + 'action="'.length;
    const end = rest.indexOf('"', start);
    if (end < 0) break;
    out += rest.slice(0, start) + url;
    rest = rest.slice(end);
  }
  return out + rest;
}

export function rewriteHtml(html, url) {
  const origin = endpointOrigin(url);
  let out = rewriteFormActions(html, url);
  out = replaceAttrAfter(out, 'name="imrf-endpoint"', "content", () => url) ?? out;
  out = replaceAttrAfter(out, 'http-equiv="Content-Security-Policy"', "content", (csp) =>
    allowEndpoint(csp, origin)) ?? out;
  return out;
}

export function rewriteWidget(js, url) {
  const at = js.indexOf(WIDGET_MARKER);
  if (at < 0) throw new Error(`widget.js has no \`${WIDGET_MARKER}..."\` line (built from an older web/widget.js?)`);
  const start = at + WIDGET_MARKER.length;
  const end = js.indexOf('"', start);
  return js.slice(0, start) + url + js.slice(end);
}

/** Rewrites dist's documents for `url` and writes their compressed copies again. */
export function configureDist(dist, url) {
  url = checkEndpointUrl(url);
  if (!existsSync(join(dist, "index.html"))) throw new Error(`no index.html in ${dist} (build first)`);
  const originals = join(dist, ".imrf-original");
  mkdirSync(originals, { recursive: true });
  const done = [];
  for (const name of DOCUMENTS) {
    const file = join(dist, name);
    const kept = join(originals, name);
    if (!existsSync(kept)) {
      if (!existsSync(file)) continue;
      mkdirSync(dirname(kept), { recursive: true });
      copyFileSync(file, kept);
    }
    const text = readFileSync(kept, "utf8");
    const out = name.endsWith(".js") ? rewriteWidget(text, url) : rewriteHtml(text, url);
    const data = Buffer.from(out, "utf8");
    writeFileSync(file, data);
    writeFileSync(`${file}.br`, brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }));
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
    done.push(name);
  }
  return done;
}

function main(argv) {
  let url = process.env.IMRF_ENDPOINT_URL;
  let dist = "dist";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--endpoint-url") url = argv[++i];
    else if (argv[i] === "--dist") dist = argv[++i];
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])} (use --endpoint-url URL [--dist DIR])`);
  }
  if (!url) throw new Error("give --endpoint-url URL (or IMRF_ENDPOINT_URL)");
  const done = configureDist(resolve(dist), url);
  console.log(`configure-dist: ${done.join(", ")} (and their .br/.gz) now send to ${url.trim()}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`configure-dist: ${error.message}`);
    process.exit(1);
  }
}
