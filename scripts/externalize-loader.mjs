// Trunk post_build hook: replaces trunk's inline module loader (and its
// preloads of the glue and the wasm) with web/app-loader.js in a hashed file,
// so the page runs under `script-src 'self'` with no 'unsafe-inline' and no
// hash to keep in step, and fetches the app only on intent (ARCHITECTURE.md,
// "When the app is fetched"). web/intent.js, shared with the widget loader,
// is written into it in place of its `__IMRF_INTENT__` line.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fillLoader } from "./loader-template.mjs";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("externalize-loader: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const fail = (message) => {
  console.error(`externalize-loader: ${message}`);
  process.exit(1);
};
const source = resolve(process.env.TRUNK_SOURCE_DIR || join(import.meta.dirname, ".."));
const publicUrl = process.env.TRUNK_PUBLIC_URL || "/";
const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");
const inline = /<script type="module"(?: nonce="[^"]*")?>([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) fail("no inline module script found in index.html");

// Trunk's loader: `import init, * as bindings from '<glue>'; ... init({ module_or_path: '<wasm>' })`.
const glue = match[1].match(/import init, \* as bindings from ['"]([^'"]+)['"]/);
const wasm = match[1].match(/module_or_path: ['"]([^'"]+)['"]/);
if (!glue || !wasm) fail("trunk's loader no longer names the glue and the wasm as expected");

// An unsent draft starts the app at once: its storage key, from the app's source.
const draft = readFileSync(join(source, "src/draft.rs"), "utf8").match(
  /pub const DRAFT_STORAGE_KEY: &str = "([^"]+)";/,
);
if (!draft) fail("no DRAFT_STORAGE_KEY in src/draft.rs");

const code = fillLoader(source, "web/app-loader.js", {
  BINDINGS: glue[1],
  WASM: wasm[1],
  DRAFT_KEY: draft[1],
});
const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
const name = `loader-${hash}.js`;
writeFileSync(join(staging, name), code);
const integrity = "sha384-" + createHash("sha384").update(code).digest("base64");
const tag = `<script type="module" src="${publicUrl}${name}" integrity="${integrity}"></script>`;
html = html.replace(inline, tag);

// No preload of the app: a reader never fetches it.
const preloads = /[ \t]*<link rel="(?:modulepreload|preload)"[^>]*>\n?/g;
const removed = (html.match(preloads) || []).length;
if (removed === 0) fail("no preload of the glue or the wasm found in index.html (trunk changed?)");
for (const link of html.match(preloads)) {
  if (!link.includes(glue[1]) && !link.includes(wasm[1])) fail(`an unknown preload in index.html: ${link.trim()}`);
}
html = html.replace(preloads, "");
writeFileSync(htmlPath, html);
console.log(`externalize-loader: trunk's loader replaced by ${name} (the app on intent); ${removed} preloads removed`);
