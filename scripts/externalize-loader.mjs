// Trunk post_build hook: moves trunk's inline module loader out of index.html
// into a hashed file, so the page runs under `script-src 'self'` with no
// 'unsafe-inline' and no hash to keep in step.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("externalize-loader: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const publicUrl = process.env.TRUNK_PUBLIC_URL || "/";
const htmlPath = join(staging, "index.html");
const html = readFileSync(htmlPath, "utf8");
const inline = /<script type="module"(?: nonce="[^"]*")?>([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) {
  console.error("externalize-loader: no inline module script found in index.html");
  process.exit(1);
}
// The page is complete HTML before any script: when the app cannot start (no
// WebAssembly, the file blocked or failing to load, an error while starting)
// the page stays that working page, with a warning for developers instead of
// an uncaught error, and nothing waits for it.
const start = /const wasm = await init\((.*)\);/;
if (!start.test(match[1])) {
  console.error("externalize-loader: trunk's loader no longer reads `const wasm = await init(...)`");
  process.exit(1);
}
const code =
  match[1]
    .replace(
      start,
      "let wasm;\ntry {\n  wasm = await init($1);\n} catch (error) {\n" +
        '  console.warn("IMRF: the app could not start; the page works without it.", error);\n}',
    )
    .replace(/^(dispatchEvent\()/m, "if (wasm) $1")
    .trim() + "\n";
const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
const name = `loader-${hash}.js`;
writeFileSync(join(staging, name), code);
const integrity = "sha384-" + createHash("sha384").update(code).digest("base64");
const tag = `<script type="module" src="${publicUrl}${name}" integrity="${integrity}"></script>`;
writeFileSync(htmlPath, html.replace(inline, tag));
console.log(`externalize-loader: moved trunk's loader to ${name}`);
