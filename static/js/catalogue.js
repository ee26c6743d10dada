// The catalogue works without JavaScript (a plain GET form). With it, htmx
// updates the results in place; this file folds the filter panel away on
// narrow screens so the results come first, and tells the server which
// refreshes are not a search the visitor committed to.
(function () {
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia("(max-width: 991.98px)").matches) {
    panel.removeAttribute("open");
  }
  // The "Apply filters" button is only needed without JavaScript.
  document.documentElement.classList.add("js");

  // The server records a demand signal per search (brokerage/catalogue/views.py)
  // except for requests marked here, with headers rather than query parameters
  // because htmx pushes the address into history and it must stay shareable:
  // - X-Search-Typing: the live refresh while typing ("input"); half-typed
  //   words ("num", "numer") are not demand. Enter, leaving the box ("change")
  //   and loading the address are still recorded.
  // - X-Search-Repeat: the same search sent again at once. Enter in the box
  //   fires "change" and then "submit", two requests for one search.
  // Committing to words whose results are already on screen (the live refresh
  // showed them) only tells the server, with a background request: an htmx
  // refresh would swap the results and push the address, and a push cancels a
  // click on a result made at that moment (leaving the box to click a result
  // is what fires "change").
  var form = document.getElementById("catalogue-form");
  var previous = null;  // the last request: its parameters, and whether it was typing
  if (form) {
    form.addEventListener("htmx:configRequest", function (event) {
      var trigger = event.detail.triggeringEvent;
      var typing = Boolean(trigger && trigger.type === "input");
      var query = new URLSearchParams(event.detail.formData).toString();
      // The address and the form's values (links such as "Next" carry theirs in the address).
      var params = event.detail.path + " " + query;
      var last = previous;
      var again = last !== null && last.params === params;
      previous = { params: params, typing: typing };
      if (typing) {
        event.detail.headers["X-Search-Typing"] = "1";
      } else if (again && last.typing) {
        event.preventDefault();  // the results on screen are these already
        var url = event.detail.path + (event.detail.path.indexOf("?") < 0 ? "?" : "&") + query;
        fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin", keepalive: true });
      } else if (again) {
        event.detail.headers["X-Search-Repeat"] = "1";
      }
    });
  }
})();
