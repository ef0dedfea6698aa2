// Optional script for a partner page that embeds the IMRF page in an iframe:
//   <iframe data-imrf-frame src="https://ASSETS/embed.html?lang=ar" title="..."></iframe>
//   <script src="https://ASSETS/imrf-frame-host.js" defer></script>
// It listens for the frame's messages and sizes each iframe to its content.
// A message is used only if it comes from that iframe's window and from the
// origin of that iframe's src. The iframe element also gets the events
// `imrf-ready`, `imrf-resize`, `imrf-language-changed` and `imrf-submitted`.
// No global names; no inline styles (the height is set through the CSSOM,
// which a strict Content-Security-Policy allows).
(function () {
  "use strict";
  var TYPES = ["ready", "resize", "language-changed", "submitted"];
  var MAX_HEIGHT = 100000;

  function frameOf(source) {
    var frames = document.querySelectorAll("iframe[data-imrf-frame]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  function originOf(frame) {
    try {
      return new URL(frame.src, document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }

  // At load: whether the frame's server lets this page frame embed.html
  // (its `frame-ancestors`, which it lets any page read). One HEAD per
  // address; the warning is for the page's webmaster, once, naming the
  // settings. Nothing is said when the policy cannot be read.
  var checked = {};
  function allowsThisPage(csp, frameOrigin) {
    var directives = csp.split(";");
    for (var i = 0; i < directives.length; i++) {
      var words = directives[i].trim().split(/\s+/);
      if (words[0].toLowerCase() !== "frame-ancestors") continue;
      var sources = words.slice(1);
      for (var j = 0; j < sources.length; j++) {
        var source = sources[j].replace(/\/$/, "").toLowerCase();
        if (source === "*" || source === location.origin) return true;
        if (source === "'self'" && frameOrigin === location.origin) return true;
      }
      return false;
    }
    return true;
  }
  function checkFraming(frame) {
    var origin = originOf(frame);
    if (!origin || !window.fetch || checked[frame.src]) return;
    checked[frame.src] = true;
    fetch(frame.src, { method: "HEAD", mode: "cors", credentials: "omit", cache: "no-store" }).then(
      function (response) {
        if (response.body) response.body.cancel();
        var csp = response.headers.get("content-security-policy");
        if (csp && !allowsThisPage(csp, origin)) {
          console.warn(
            "imrf frame: " + frame.src + " may not be framed by pages on " + location.origin +
              " (its frame-ancestors), so the frame shows nothing here. The operator of " + origin +
              " lists the sites that may in IMRF_CORS_ORIGINS (--cors-origin) and " +
              "IMRF_FRAME_ANCESTORS (--frame-ancestor): add " + location.origin +
              ', or remove both lists to let any site frame it (docs/operations.md, "Partners").'
          );
        }
      },
      function () {},
    );
  }
  function checkAll() {
    var frames = document.querySelectorAll("iframe[data-imrf-frame]");
    for (var i = 0; i < frames.length; i++) checkFraming(frames[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", checkAll);
  else checkAll();

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.source !== "imrf-widget") return;
    if (TYPES.indexOf(data.type) < 0) return;
    var frame = frameOf(event.source);
    if (!frame || event.origin !== originOf(frame)) return;
    var detail = {};
    if (typeof data.height === "number" && isFinite(data.height) && data.height >= 0) {
      var height = Math.min(Math.ceil(data.height), MAX_HEIGHT);
      frame.style.setProperty("height", height + "px");
      frame.setAttribute("height", String(height));
      detail.height = height;
    }
    if (data.lang === "ar" || data.lang === "en") detail.lang = data.lang;
    if (typeof data.reference === "string" && /^IMRF-[0-9A-Z]{8}$/.test(data.reference)) {
      detail.reference = data.reference;
    }
    frame.dispatchEvent(new CustomEvent("imrf-" + data.type, { bubbles: true, detail: detail }));
  });
})();
