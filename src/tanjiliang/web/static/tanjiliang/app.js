/* Page behaviours bound by data attributes: the Content-Security-Policy allows scripts from
   this site only, no inline handlers (docs/security.md). */
(function () {
  "use strict";
  // <form data-confirm="…">: ask before submitting
  document.addEventListener("submit", function (e) {
    var f = e.target.closest ? e.target.closest("form[data-confirm]") : null;
    if (f && !window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
  }, true);
  // <select data-autosubmit>: submit its form when changed
  document.addEventListener("change", function (e) {
    var el = e.target.closest ? e.target.closest("[data-autosubmit]") : null;
    if (el && el.form) { el.form.submit(); }
  });
  // <iframe data-autoheight>: as tall as its (same-site) document
  function fit(frame) {
    try {
      frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 20) + "px";
    } catch (err) { /* not same-site: leave it */ }
  }
  document.querySelectorAll("iframe[data-autoheight]").forEach(function (frame) {
    frame.addEventListener("load", function () { fit(frame); });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") { fit(frame); }
  });
}());
