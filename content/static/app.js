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
})();
