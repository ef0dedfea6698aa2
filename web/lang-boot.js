// Each language has its own document (/ar/, /en/). A visitor who opens the
// bare address (/, /index.html) gets one of them: from the endpoint, in the
// language of ?lang= or of the browser; from a static host, the Arabic one.
// Before the first paint this script moves such a visitor to the document
// of the language src/i18n.rs `negotiate` would choose (by the table below,
// which is `boot_table()` of that file exactly; a native test compares
// them): the query (or the language whose URL this is), the saved choice,
// the page default's meta, the browser's languages, then the fallback. A
// per-language URL is never left: it is the visitor's explicit choice.
(function () {
  var BOOT = {"fallback":"ar","languages":{"ar":"rtl","en":"ltr"},"meta":"imrf-lang","sources":["query","saved","host","navigator"],"storage_key":"imrf-lang"};
  function pick(tag) {
    var primary = String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
    return Object.prototype.hasOwnProperty.call(BOOT.languages, primary) ? primary : null;
  }
  // The language of a per-language URL: the segment before the document's name.
  var segments = location.pathname.split("/");
  var pathLang = pick(segments[segments.length - 2]);
  if (pathLang && segments[segments.length - 2] !== pathLang) pathLang = null;
  var sources = {
    query: function () {
      return [new URLSearchParams(location.search).get("lang"), pathLang];
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
  var here = document.documentElement.lang;
  // Only the bare address moves (not /en/, nor the endpoint's answer to a post).
  var bare = /^(index\.html)?$/.test(segments[segments.length - 1]);
  if (found === here || pathLang || !bare || !BOOT.languages[here]) return;
  var target = new URL("../" + found + "/", location.href);
  var params = new URLSearchParams(location.search);
  params.delete("lang");
  target.search = params.toString();
  target.hash = location.hash;
  location.replace(target.href);
})();
