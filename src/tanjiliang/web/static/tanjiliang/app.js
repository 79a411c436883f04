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
  // <div class="diagram" data-zoom>: the flow diagram fits the box (legend included); the
  // wheel or the buttons zoom, dragging pans, "适合页面/Fit" shows it whole again (issue 13)
  function zoomable(box) {
    var svg = box.querySelector("svg");
    if (!svg || box.getAttribute("data-zoom-ready")) { return; }
    box.setAttribute("data-zoom-ready", "1");
    var vb = svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width) { return; }
    var full = [vb.x, vb.y, vb.width, vb.height], view = full.slice();
    svg.removeAttribute("width"); svg.removeAttribute("height");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    function show() { svg.setAttribute("viewBox", view.join(" ")); }
    function zoom(k, cx, cy) {
      var w = view[2] * k, h = view[3] * k;
      if (w > full[2] * 1.05 || w < full[2] / 40) { return; }
      cx = cx === undefined ? view[0] + view[2] / 2 : cx;
      cy = cy === undefined ? view[1] + view[3] / 2 : cy;
      view = [cx - (cx - view[0]) * k, cy - (cy - view[1]) * k, w, h]; show();
    }
    function point(e) {
      var r = svg.getBoundingClientRect(), s = Math.max(view[2] / r.width, view[3] / r.height);
      return [view[0] + (e.clientX - r.left) * s, view[1] + (e.clientY - r.top) * s, s];
    }
    box.addEventListener("wheel", function (e) {
      e.preventDefault(); var p = point(e); zoom(e.deltaY < 0 ? 0.8 : 1.25, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (e) { drag = point(e); svg.setPointerCapture(e.pointerId); });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect(), s = drag[2];
      view[0] = drag[0] - (e.clientX - r.left) * s; view[1] = drag[1] - (e.clientY - r.top) * s; show();
      drag = point(e);
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    var bar = box.parentNode.querySelector(".diagram-tools");
    if (bar) {
      bar.addEventListener("click", function (e) {
        var b = e.target.closest("button[data-zoom]"); if (!b) { return; }
        var what = b.getAttribute("data-zoom");
        if (what === "in") { zoom(0.8); } else if (what === "out") { zoom(1.25); } else { view = full.slice(); show(); }
      });
    }
  }
  document.querySelectorAll(".diagram[data-zoom]").forEach(zoomable);
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll(".diagram[data-zoom]").forEach(zoomable);
  });
}());
