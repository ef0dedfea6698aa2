// Trunk's post_build hook. Trunk runs the hooks of one stage concurrently, so
// the steps that rewrite index.html run here, one after the other:
//   1. prerender: the release as static HTML, in both languages (Rust, the app's own components);
//   2. externalize-loader: trunk's inline loader moved into a file (strict CSP);
//   3. build-widget: widget.js, its stylesheet, embed.html (needs the final file names);
//   4. inline-critical: the stylesheet and the language boot script into the
//      head, allowed by CSP hashes; the wasm preloaded at low priority;
//   5. precompress: .br and .gz copies of everything, last, so it sees every file.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit", env: process.env });

// Offline: setup.sh fetched every crate; a build must not reach the network.
run("cargo", [
  "run", "--quiet", "--offline", "--locked",
  "--features", "ssr", "--bin", "prerender", "--",
  join(staging, "index.html"),
]);
for (const step of ["externalize-loader.mjs", "build-widget.mjs", "inline-critical.mjs", "precompress.mjs"]) {
  run("node", [join(import.meta.dirname, step)]);
}
