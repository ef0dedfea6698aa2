// The IMRF widget loader. A partner page includes it as
//   <script type="module" src="https://ASSETS/widget.js"></script>
// and marks one element per widget with `data-imrf-widget` (docs/embedding.md).
// Every file it loads is resolved against this script's own URL, so it works
// from another origin (the endpoint serves these files to any origin).
//
// Template: scripts/build-widget.mjs fills in the hashed file names of the
// build and web/intent.js. It defines no global names and never touches the
// host's html, title or URL; each widget lives in its own shadow root
// (src/widget.rs).
//
// When the app is fetched: a widget on a partner's page has nothing to show
// without it, so it is fetched at once. In embed.html (the iframe) the
// frame's document already holds the release and the form as HTML: there,
// as on our own page, the app comes on intent only (web/intent.js), so a
// reader of the frame downloads no WebAssembly.

/* __IMRF_INTENT__: web/intent.js */

const here = import.meta.url;
const DRAFT_KEY = "__IMRF_DRAFT_KEY__";
const stylesheet = new URL("./__IMRF_CSS__", here).href;
// Where a widget without `data-endpoint` sends submissions: resolved against
// this script's URL, so by default the server it was loaded from. The
// endpoint's --endpoint-url (or scripts/configure-dist.mjs) rewrites this line.
const DEFAULT_ENDPOINT = "/api/submissions";
const defaultEndpoint = new URL(DEFAULT_ENDPOINT, here).href;
const SELECTOR = "[data-imrf-widget]";
const MESSAGE_SOURCE = "imrf-widget";

/** An origin string (`scheme://host[:port]`) or null. */
function asOrigin(value) {
  try {
    const url = new URL(value);
    return url.origin !== "null" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * In embed.html (`data-frame`, inside an iframe): the page's query configures
 * the widget, and the parent is told about size, language and submissions by
 * postMessage, addressed to one origin only: `?host-origin=` or else the
 * origin of the page that framed us (document.referrer).
 */
function setUpFrame(host) {
  const params = new URLSearchParams(location.search);
  for (const name of ["lang", "view", "theme", "id"]) {
    const value = params.get(name);
    if (value && !host.hasAttribute(`data-${name}`)) host.setAttribute(`data-${name}`, value);
  }
  // The frame's height is the content's: no margins, no scroll bar.
  document.body.style.setProperty("margin", "0");
  document.documentElement.style.setProperty("overflow", "hidden");
  if (window.parent === window) return null;
  const parentOrigin = asOrigin(params.get("host-origin")) || asOrigin(document.referrer);
  if (!parentOrigin) return null;
  const id = host.getAttribute("data-id") || undefined;
  // The HTML's language links (followed before the app is there) keep what
  // configures the frame; the referrer would then be the frame itself.
  for (const link of host.querySelectorAll("a[hreflang][href]")) {
    const url = new URL(link.href);
    for (const name of ["id", "theme"]) if (params.has(name)) url.searchParams.set(name, params.get(name));
    url.searchParams.set("host-origin", parentOrigin);
    link.href = url.href;
  }
  const post = (type, extra = {}) => {
    window.parent.postMessage({ source: MESSAGE_SOURCE, type, id, ...extra }, parentOrigin);
  };
  // The height from the first paint on (the page's HTML before the app), and
  // again from the app's first layout on: `watchHeight` starts over, so its
  // first observation is reported whatever the page's last height was.
  let last = -1;
  let observer = null;
  const watchHeight = () => {
    observer?.disconnect();
    last = -1;
    observer = new ResizeObserver(() => {
      const height = contentHeight();
      if (height !== last) {
        last = height;
        post("resize", { height });
      }
    });
    observer.observe(document.body);
  };
  watchHeight();
  return { post, watchHeight };
}

function contentHeight() {
  return Math.ceil(document.body.getBoundingClientRect().height);
}

/**
 * The app dispatches `imrf-ready`, `imrf-language-changed` and `imrf-submitted`
 * itself (bubbling out of the shadow root to the widget's element). In a
 * frame they are passed on to the parent page, with the content's height.
 */
function forwardToParent(host, frame) {
  if (!frame) return;
  const { post, watchHeight } = frame;
  for (const type of ["language-changed", "submitted"]) {
    host.addEventListener(`imrf-${type}`, (event) => post(type, event.detail));
  }
  host.addEventListener(
    "imrf-ready",
    (event) => {
      post("ready", { ...event.detail, height: contentHeight() });
      watchHeight();
    },
    { once: true },
  );
}

const checked = new Set();

/**
 * At load, before the visitor types anything: whether this page may read the
 * answers of the widget's endpoint (CORS), which sending needs. One cheap
 * CORS `GET` of the endpoint's health (`/api/health`, next to
 * `/api/submissions`) per endpoint and page, never the app's files. When it
 * fails from the server this script came from (which has just answered),
 * that server refuses this page; another server is asked once more with
 * `no-cors`, to tell a refusal from a server out of reach (then nothing is
 * said). The warning is for the page's webmaster, once, naming the setting.
 */
function checkSending(endpoint) {
  let url;
  try {
    url = new URL("health", new URL(endpoint, document.baseURI));
  } catch {
    return;
  }
  if (url.origin === location.origin || checked.has(url.href)) return;
  checked.add(url.href);
  const quiet = { credentials: "omit", cache: "no-store" };
  // The server this script came from has just answered; another one may be
  // out of reach (its answers' Cross-Origin-Resource-Policy may also block
  // the `no-cors` request: then, unsure, nothing is said).
  const reachable = () =>
    url.origin === new URL(here).origin ? Promise.resolve() : fetch(url, { ...quiet, mode: "no-cors" });
  // The answer's body is not needed: cancelled, so no connection stays busy.
  fetch(url, { ...quiet, mode: "cors" }).then((answer) => answer.body?.cancel()).catch(() =>
    reachable().then(
      () =>
        console.warn(
          `imrf widget: ${url.origin} does not let pages on ${location.origin} read its answers (CORS), ` +
            "so the form on this page cannot send. The endpoint's operator lists the sites that may in " +
            `IMRF_CORS_ORIGINS (--cors-origin): add ${location.origin} to that list, or remove the list ` +
            'to let any site send (docs/operations.md, "Partners").',
        ),
      () => {},
    ),
  );
}

let app = null;

/** The glue, its WebAssembly instantiated: fetched once, when a first widget needs it. */
function loadApp() {
  app ??= import("./__IMRF_BINDINGS__").then(async (glue) => {
    await glue.default({ module_or_path: new URL("./__IMRF_WASM__", here) });
    return glue;
  });
  return app;
}

const seen = new WeakSet();

async function mount(host, frame) {
  let glue;
  try {
    glue = await loadApp();
  } catch (error) {
    // Most often: the files are not reachable, or a server in front of them refuses this origin (CORS).
    console.error(`imrf widget: could not start from ${here}`, error);
    return;
  }
  if (host.shadowRoot) return;
  if (!host.getAttribute("data-endpoint")?.trim()) host.setAttribute("data-endpoint", defaultEndpoint);
  // Listening first: the app announces itself once it has rendered.
  forwardToParent(host, frame);
  try {
    glue.mount_widget(host, stylesheet);
  } catch (error) {
    console.error("imrf widget: could not mount", error);
  }
}

function mountAll() {
  for (const host of document.querySelectorAll(SELECTOR)) {
    if (host.shadowRoot || seen.has(host)) continue;
    seen.add(host);
    if (!host.hasAttribute("data-frame")) {
      checkSending(host.getAttribute("data-endpoint")?.trim() || defaultEndpoint);
      mount(host, null);
      continue;
    }
    const frame = setUpFrame(host);
    carryAcrossLanguages(host);
    const id = host.getAttribute("data-id");
    if (hasDraft(id ? `${DRAFT_KEY}:${id}` : DRAFT_KEY)) mount(host, frame);
    else startOnIntent(host, () => mount(host, frame));
  }
}

/** Whether a mutation added a widget element (itself or inside a subtree). */
function addsWidget(record) {
  for (const node of record.addedNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && (node.matches(SELECTOR) || node.querySelector(SELECTOR))) {
      return true;
    }
  }
  return false;
}

mountAll();
// Widgets the page adds later (content loaded on demand, single-page sites) mount too.
new MutationObserver((records) => {
  if (records.some(addsWidget)) mountAll();
}).observe(document.documentElement, { childList: true, subtree: true });
