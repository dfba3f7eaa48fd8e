// Progressive enhancement only: the page works without it.
// Checking a facet or changing a date submits the filter form at once.
(function () {
  var form = document.getElementById("filterformular");
  if (!form) return;
  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox], input[type=date]")) form.submit();
  });
  var button = form.querySelector("button[type=submit]");
  if (button) button.classList.add("js-optional");
})();
