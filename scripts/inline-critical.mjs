// Trunk post_build step: a critical path as short as a plain HTML page's.
// Nothing outside the document may block the first paint, so:
//   - the stylesheet (about 2 KB brotli) goes into a <style> in the head;
//   - the language boot script (it sets <html lang dir> before the first paint)
//     goes into a <script> in the head;
//   - both are allowed by 'sha256-...' sources added to the page's
//     Content-Security-Policy (no 'unsafe-inline'); the endpoint copies these
//     hashes into the policy it sends (crates/endpoint, documents);
//   - the WebAssembly and its glue are not fetched by the document at all
//     (externalize-loader.mjs: the app comes on intent).
// The stylesheet file stays in dist/ (the widget's shadow-root stylesheet is
// made from it). Run by scripts/post-build.mjs after build-widget, before precompress.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("inline-critical: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const fail = (message) => {
  console.error(`inline-critical: ${message}`);
  process.exit(1);
};
const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** Adds a source to one directive of a CSP source list (the directive must exist). */
function addCspSource(policy, directive, source) {
  let found = false;
  const out = policy
    .split(";")
    .map((part) => {
      const words = part.trim().split(/\s+/);
      if (words[0] !== directive) return part.trim();
      found = true;
      return words.includes(source) ? part.trim() : `${part.trim()} ${source}`;
    })
    .join("; ");
  if (!found) fail(`the page's CSP has no ${directive}`);
  return out;
}

const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");

const bootTag = /<script src="[^"]*lang-boot\.js"><\/script>/;
if (!bootTag.test(html)) fail("no lang-boot.js script tag in index.html");
const boot = readFileSync(join(staging, "lang-boot.js"), "utf8").trim();
if (boot.includes("</script")) fail("lang-boot.js contains </script");

const cssTag = /<link rel="stylesheet" href="[^"]*?(main-[0-9a-f]+\.css)"[^>]*>/;
const cssMatch = html.match(cssTag);
if (!cssMatch) fail("no main-<hash>.css stylesheet link in index.html");
const css = readFileSync(join(staging, cssMatch[1]), "utf8").trim();
if (css.includes("</style")) fail(`${cssMatch[1]} contains </style`);

html = html.replace(bootTag, () => `<script>${boot}</script>`);
html = html.replace(cssTag, () => `<style>${css}</style>`);

const cspTag = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;
const csp = html.match(cspTag);
if (!csp) fail("no Content-Security-Policy meta tag in index.html");
let policy = addCspSource(csp[2], "script-src", sha256(boot));
policy = addCspSource(policy, "style-src", sha256(css));
html = html.replace(cspTag, (_, open, _old, close) => `${open}${policy}${close}`);

writeFileSync(htmlPath, html);
console.log(`inline-critical: inlined ${cssMatch[1]} (${css.length} bytes) and lang-boot.js (${boot.length} bytes); CSP hashes added`);
