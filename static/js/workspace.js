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
      counter.textContent = left >= 0
        ? left + " of " + limit + " characters left"
        : (-left) + " characters too many (limit " + limit + ")";
      counter.classList.toggle("ws-counter-over", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });
  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
