// Sets <html lang dir> before the first paint, so a visitor whose language is
// English never sees the page flash right-to-left while the WebAssembly loads.
// It mirrors src/i18n.rs `negotiate` (query, saved choice, page default,
// browser languages, Arabic); the app re-checks and owns the result after it starts.
(function () {
  function pick(tag) {
    var primary = String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
    return primary === "ar" || primary === "en" ? primary : null;
  }
  var found = null;
  try {
    found = pick(new URLSearchParams(location.search).get("lang"));
  } catch (e) {}
  if (!found) {
    try {
      found = pick(localStorage.getItem("imrf-lang"));
    } catch (e) {}
  }
  if (!found) {
    var meta = document.querySelector('meta[name="imrf-lang"]');
    found = meta && pick(meta.getAttribute("content"));
  }
  if (!found) {
    var langs = navigator.languages || [navigator.language];
    for (var i = 0; i < langs.length && !found; i++) found = pick(langs[i]);
  }
  found = found || "ar";
  document.documentElement.lang = found;
  document.documentElement.dir = found === "ar" ? "rtl" : "ltr";
})();
