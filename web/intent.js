// What the page's loader (web/app-loader.js) and the widget loader
// (web/widget.js) share, written into each of them by the build (in place of
// their intent placeholder line, so no request of its own):
//   - the app is fetched on intent only: a reader never downloads it;
//   - a language switch made before the app is there keeps what was typed.
// Neither ever cancels or stops an event: the visitor's focus, click or key
// goes on to the page's HTML controls, which the app adopts when it mounts
// (src/takeover.rs).

/**
 * Events inside the form that say the visitor is using it. Not scrolling:
 * a finger that scrolls the page over the form gives a touch pointerdown,
 * so a touch counts only once it focuses, clicks or types.
 */
const INTENT_EVENTS = ["focusin", "pointerdown", "keydown", "beforeinput", "input", "change", "click"];

/** Whether `node` is inside a form inside `root`. */
function inFormOf(root, node) {
  return node instanceof Element && root.contains(node) && node.closest("form") !== null;
}

/** Calls `start` once, at the first sign that the visitor uses the form inside `root`. */
function startOnIntent(root, start) {
  const options = { capture: true, passive: true };
  const onEvent = (event) => {
    if (event.type === "pointerdown" && event.pointerType === "touch") return;
    if (!inFormOf(root, event.target)) return;
    for (const type of INTENT_EVENTS) document.removeEventListener(type, onEvent, options);
    start();
  };
  for (const type of INTENT_EVENTS) document.addEventListener(type, onEvent, options);
  // Focus that came before this script ran (it runs once the document is parsed).
  if (inFormOf(root, document.activeElement)) onEvent({ type: "focusin", target: document.activeElement });
}

/** Whether the app left an unsent draft under `key`: a returning sender gets it back at once. */
function hasDraft(key) {
  try {
    return localStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}

// A language switch before the app is there is a plain link to the other
// language's document. What the form holds goes along in sessionStorage,
// under the address of the document it is for, and that document's loader
// puts it back into its own controls at once (and removes it).
const CARRY_PREFIX = "imrf-carry:";
const NOT_VALUES = ["hidden", "submit", "button", "reset", "image", "file"];

const carryKey = (url) => CARRY_PREFIX + new URL(url, location.href).pathname;

/** The controls a visitor fills in: [name, value] pairs, checked boxes and radios only. */
function formValues(form) {
  const values = [];
  for (const control of form.elements) {
    if (!control.name || control.disabled || NOT_VALUES.includes(control.type)) continue;
    if (control.type === "checkbox" || control.type === "radio") {
      if (control.checked) values.push([control.name, control.value]);
    } else if (control.value !== "") {
      values.push([control.name, control.value]);
    }
  }
  return values;
}

function putValues(form, values) {
  for (const control of form.elements) {
    if (!control.name || NOT_VALUES.includes(control.type)) continue;
    if (control.type === "checkbox" || control.type === "radio") {
      if (values.some(([name, value]) => name === control.name && value === control.value)) control.checked = true;
    } else {
      const found = values.find(([name]) => name === control.name);
      if (found) control.value = found[1];
    }
  }
}

/**
 * Puts back the values carried to this document, and carries the form's
 * values along when the visitor follows a language link (an `a[hreflang]`
 * inside `root`) of the page's HTML; the live app switches in place itself.
 */
function carryAcrossLanguages(root) {
  const form = () => root.querySelector("form");
  try {
    const key = carryKey(location.href);
    const carried = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    if (carried && form()) putValues(form(), JSON.parse(carried));
  } catch (error) {
    console.warn("IMRF: the values typed in the other language could not be put back.", error);
  }
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[hreflang][href]") : null;
      if (!link || !root.contains(link) || link.closest("[data-live]") || !form()) return;
      try {
        const values = formValues(form());
        if (values.length > 0) sessionStorage.setItem(carryKey(link.href), JSON.stringify(values));
      } catch {
        // No storage (a private mode, a full quota): the link works, the values stay here.
      }
    },
    { capture: true, passive: true },
  );
}
