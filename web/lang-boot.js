// Sets <html lang dir> before the first paint, so a visitor whose language is
// English never sees the page flash right-to-left while the WebAssembly loads.
// It decides as src/i18n.rs `negotiate` does, by the table below, which is
// `boot_table()` of that file exactly (a native test compares them): the
// languages with their directions, the sources in order of preference, the
// storage key, the page default's meta name and the fallback. The app
// re-checks and owns the result after it starts.
(function () {
  var BOOT = {"fallback":"ar","languages":{"ar":"rtl","en":"ltr"},"meta":"imrf-lang","sources":["query","saved","host","navigator"],"storage_key":"imrf-lang"};
  function pick(tag) {
    var primary = String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
    return Object.prototype.hasOwnProperty.call(BOOT.languages, primary) ? primary : null;
  }
  var sources = {
    query: function () {
      return [new URLSearchParams(location.search).get("lang")];
    },
    saved: function () {
      return [localStorage.getItem(BOOT.storage_key)];
    },
    host: function () {
      var meta = document.querySelector('meta[name="' + BOOT.meta + '"]');
      return [meta && meta.getAttribute("content")];
    },
    navigator: function () {
      return navigator.languages || [navigator.language];
    },
  };
  var found = null;
  for (var i = 0; i < BOOT.sources.length && !found; i++) {
    var tags = [];
    try {
      tags = sources[BOOT.sources[i]]();
    } catch (e) {}
    for (var j = 0; j < tags.length && !found; j++) found = pick(tags[j]);
  }
  found = found || BOOT.fallback;
  document.documentElement.lang = found;
  document.documentElement.dir = BOOT.languages[found];
})();
