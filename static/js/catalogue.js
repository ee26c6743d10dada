// The catalogue works without JavaScript (a plain GET form). With it, htmx
// updates the results in place; this file only folds the filter panel away
// on narrow screens so the results come first.
(function () {
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia("(max-width: 991.98px)").matches) {
    panel.removeAttribute("open");
  }
  // The "Apply filters" button is only needed without JavaScript.
  document.documentElement.classList.add("js");
})();
