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
  /* Removing asks first. */
  document.querySelectorAll("form.remove").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (!window.confirm(f.getAttribute("data-confirm") || "?")) ev.preventDefault();
    });
  });
})();
