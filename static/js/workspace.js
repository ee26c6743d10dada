// Workspace helpers (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // A live character count under any textarea with data-char-limit. The limit is
  // advice while typing; the server explains it on save and keeps the text.
  document.querySelectorAll("textarea[data-char-limit]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-char-limit"), 10);
    var counter = document.createElement("p");
    counter.className = "form-text ws-counter";
    counter.id = area.id + "-count";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var left = limit - area.value.length;
      // The words come from the page (data-count-left, data-count-over), in its language.
      var words = left >= 0
        ? area.getAttribute("data-count-left") || "{left} of {limit} characters left"
        : area.getAttribute("data-count-over") || "{over} characters too many (limit {limit})";
      counter.textContent = words.replace("{left}", left).replace("{over}", -left).replace("{limit}", limit);
      counter.classList.toggle("ws-counter-over", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });
  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
