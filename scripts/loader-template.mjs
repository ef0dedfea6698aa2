// Fills a loader template (web/app-loader.js, web/widget.js): web/intent.js in
// place of its `/* __IMRF_INTENT__ ... */` line, then its `__IMRF_NAME__`
// placeholders. Used by externalize-loader.mjs and build-widget.mjs.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function fillLoader(source, template, values) {
  const intent = readFileSync(join(source, "web/intent.js"), "utf8").trim();
  let out = readFileSync(join(source, template), "utf8");
  const line = /^\/\* __IMRF_INTENT__[^\n]*\*\/$/m;
  if (!line.test(out)) throw new Error(`${template} has no __IMRF_INTENT__ line`);
  out = out.replace(line, () => intent);
  for (const [name, value] of Object.entries(values)) out = out.replaceAll(`__IMRF_${name}__`, value);
  if (/__IMRF_[A-Z_]+__/.test(out)) throw new Error(`a placeholder is left in ${template}`);
  return withoutCommentLines(out);
}

/**
 * Drops the lines that are only a comment (`// ...`, and `/* ... *\/` or
 * `/** ... *\/` blocks that start a line), and blank lines: every visitor
 * downloads the loader, and its comments are read in web/. A comment after
 * code, and anything inside a string, stays.
 */
export function withoutCommentLines(code) {
  const out = [];
  let inBlock = false;
  for (const line of code.split("\n")) {
    const t = line.trim();
    if (inBlock) {
      if (t.endsWith("*/")) inBlock = false;
      continue;
    }
    if (t.startsWith("/*")) {
      inBlock = !t.endsWith("*/");
      continue;
    }
    if (t === "" || t.startsWith("//")) continue;
    out.push(line);
  }
  return out.join("\n") + "\n";
}
