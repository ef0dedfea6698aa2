// Trunk post_build hook: builds the embeddable widget next to the app, from
// the same WebAssembly. It writes into the staging directory:
//   widget.js              the loader partners include (stable name; web/widget.js
//                          with the hashed file names and web/intent.js filled in)
//   widget-<hash>.css      style/main.css made for a shadow root (see widgetCss)
//   embed.html             the iframe embed (its stylesheet's name filled in;
//                          the prerender step writes its static content)
//   imrf-frame-host.js     the optional script that sizes the iframe on the host
// Run by scripts/post-build.mjs after the loader step; it does not touch index.html.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fillLoader } from "./loader-template.mjs";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("build-widget: TRUNK_STAGING_DIR is not set (run me from trunk)");
  process.exit(1);
}
const source = resolve(process.env.TRUNK_SOURCE_DIR || join(import.meta.dirname, ".."));

const files = readdirSync(staging);
function one(pattern, what) {
  const found = files.filter((f) => pattern.test(f));
  if (found.length !== 1) {
    console.error(`build-widget: expected one ${what} in ${staging}, found ${JSON.stringify(found)}`);
    process.exit(1);
  }
  return found[0];
}
const bindings = one(/^imrf-release(-[0-9a-f]+)?\.js$/, "wasm-bindgen module");
const wasm = one(/^imrf-release(-[0-9a-f]+)?_bg\.wasm$/, "WebAssembly file");
const mainCss = one(/^main(-[0-9a-f]+)?\.css$/, "stylesheet");

/**
 * style/main.css for a shadow root:
 * - the custom property defaults of the base `.imrf-app` rule move to `:host`,
 *   so that a partner's rule on the widget element (outer context) overrides
 *   them, while the themes (dark, Arabic fonts) still apply inside;
 * - `rem` becomes `var(--imrf-i-rem)`: `rem` is the partner page's root font
 *   size, which partners (and hostile pages) change; the widget measures the
 *   visitor's default size instead (src/widget.rs) and partners may set
 *   `--imrf-rem`.
 */
export function widgetCss(css) {
  const base = /(^|\})(\s*)\.imrf-app\s*\{([^}]*)\}/;
  const m = css.match(base);
  if (!m) throw new Error("no base .imrf-app rule in the stylesheet");
  const body = m[3].replace(/\/\*[\s\S]*?\*\//g, "");
  const decls = body.split(";").map((d) => d.trim()).filter(Boolean);
  const custom = decls.filter((d) => d.startsWith("--"));
  const rest = decls.filter((d) => !d.startsWith("--"));
  const hostRule = `:host {\n${custom.map((d) => `  ${d};`).join("\n")}\n}\n\n`;
  const appRule = `.imrf-app {\n${rest.map((d) => `  ${d};`).join("\n")}\n}`;
  let out = css.replace(base, `${m[1]}${m[2]}${hostRule}${appRule}`);
  out = out.replace(/(^|[^\w.-])(\d*\.?\d+)rem\b/g, "$1calc($2 * var(--imrf-i-rem))");
  if (/\drem\b/.test(out)) throw new Error("a rem unit was left in the widget stylesheet");
  return out;
}

const shell = readFileSync(join(source, "web/widget.css"), "utf8");
const css = widgetCss(readFileSync(join(staging, mainCss), "utf8")) + "\n" + shell;
const cssName = `widget-${createHash("sha256").update(css).digest("hex").slice(0, 16)}.css`;
writeFileSync(join(staging, cssName), css);

// An unsent draft of a frame starts its app at once: the key, from the app's source.
const draft = readFileSync(join(source, "src/draft.rs"), "utf8").match(
  /pub const DRAFT_STORAGE_KEY: &str = "([^"]+)";/,
);
if (!draft) {
  console.error("build-widget: no DRAFT_STORAGE_KEY in src/draft.rs");
  process.exit(1);
}
const loader = fillLoader(source, "web/widget.js", {
  BINDINGS: bindings,
  WASM: wasm,
  CSS: cssName,
  DRAFT_KEY: draft[1],
});
writeFileSync(join(staging, "widget.js"), loader);

const embed = readFileSync(join(source, "embed.html"), "utf8").replaceAll("__IMRF_MAIN_CSS__", mainCss);
writeFileSync(join(staging, "embed.html"), embed);
writeFileSync(
  join(staging, "imrf-frame-host.js"),
  readFileSync(join(source, "web/imrf-frame-host.js")),
);
console.log(`build-widget: widget.js (${bindings}, ${wasm}, ${cssName}), embed.html, imrf-frame-host.js`);
