/* Tillit - enhancement only: every page works without this file. */
(function () {
  "use strict";
  /* Filter selects apply themselves when changed. */
  document.querySelectorAll("form.filters select").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  /* Escape closes an open menu and returns focus to its summary. */
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    document.querySelectorAll("details[open]").forEach(function (d) {
      d.removeAttribute("open");
      var s = d.querySelector("summary");
      if (s) s.focus();
    });
  });
  /* A form that came back with problems: focus its summary, so that a
   * screen reader reads it and the first link leads to the field. */
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  /* A table's scroll box (.table-wrap) is a tab stop so that the keyboard
   * can scroll it; while the table fits, that stop leads nowhere: drop it. */
  var wraps = document.querySelectorAll(".table-wrap[tabindex]");
  function tabStops() {
    wraps.forEach(function (w) {
      if (w.scrollWidth > w.clientWidth + 1) w.setAttribute("tabindex", "0");
      else if (document.activeElement !== w) w.removeAttribute("tabindex");
    });
  }
  if (wraps.length) {
    tabStops();
    window.addEventListener("resize", tabStops);
  }
  /* On a phone the sections scroll sideways: show the current one. */
  var nav = document.querySelector(".main-nav ul");
  var here = nav && nav.querySelector("a[aria-current]");
  if (here && nav.scrollWidth > nav.clientWidth) {
    var n = nav.getBoundingClientRect(), a = here.getBoundingClientRect();
    nav.scrollLeft += a.left - n.left - (n.width - a.width) / 2;
  }
  /* Removing asks first. */
  document.querySelectorAll("form.remove").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (!window.confirm(f.getAttribute("data-confirm") || "?")) ev.preventDefault();
    });
  });
})();
