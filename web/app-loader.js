// The loader of the app's own documents (/ar/, /en/, and the endpoint's
// answers to a form post), in place of trunk's inline one: a module script
// in the head, with no preload of the app. scripts/externalize-loader.mjs
// fills in the file names and web/intent.js, and names the file by its hash.
//
// The page is complete HTML and its form works without the app, so a reader
// downloads the document alone. The WebAssembly and its glue are fetched on
// intent: a focus, a mouse or pen press, a key or an edit inside the form
// (or at once when an unsent draft waits on this device). When the app could
// not start, the page stays that working page, with a warning for developers.
const GLUE = "__IMRF_BINDINGS__";
const WASM = "__IMRF_WASM__";
const DRAFT_KEY = "__IMRF_DRAFT_KEY__";

/* __IMRF_INTENT__: web/intent.js */

let starting = false;

async function start() {
  if (starting) return;
  starting = true;
  try {
    // The glue's default export instantiates the wasm, which runs the app's
    // `main` (src/app.rs `start`: it takes over the page's HTML).
    const glue = await import(GLUE);
    await glue.default({ module_or_path: WASM });
  } catch (error) {
    console.warn("IMRF: the app could not start; the page works without it.", error);
  }
}

const root = document.getElementById("imrf-app");
if (root) {
  carryAcrossLanguages(root);
  if (hasDraft(DRAFT_KEY)) start();
  else startOnIntent(root, start);
}
