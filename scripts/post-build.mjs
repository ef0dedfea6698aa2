// Trunk's post_build hook. Trunk runs the hooks of one stage concurrently, so
// the steps that rewrite index.html run here, one after the other:
//   1. externalize-loader: trunk's inline loader and preloads replaced by
//      web/app-loader.js in a file (strict CSP; the app fetched on intent);
//   2. build-widget: widget.js, its stylesheet, embed.html (needs the final file names);
//   3. inline-critical: the stylesheet and the language boot script into the
//      head, allowed by CSP hashes;
//   4. prerender: one complete document per language (the release and the
//      whole form, from the app's own components), from the finished head;
//   5. precompress: .br and .gz copies of everything, last, so it sees every file.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit", env: process.env });

for (const step of ["externalize-loader.mjs", "build-widget.mjs", "inline-critical.mjs"]) {
  run("node", [join(import.meta.dirname, step)]);
}
// Offline: setup.sh fetched every crate; a build must not reach the network.
// The prerender is a native program: it is built on the stable toolchain, like
// the tests, so that it reuses their dependencies instead of compiling a second
// copy with the release wasm's nightly (and build-std) settings.
const nativeEnv = { ...process.env };
for (const name of ["RUSTUP_TOOLCHAIN", "CARGO_UNSTABLE_BUILD_STD", "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS"]) {
  delete nativeEnv[name];
}
execFileSync("cargo", [
  "run", "--quiet", "--offline", "--locked",
  "--features", "ssr", "--bin", "prerender", "--",
  staging,
], { stdio: "inherit", env: nativeEnv });
run("node", [join(import.meta.dirname, "precompress.mjs")]);
