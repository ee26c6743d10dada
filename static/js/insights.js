// Insights: a change of region submits the chooser at once (the Show button
// stays for keyboard users and for changes of dates).
document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.requestSubmit();
  });
});
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
