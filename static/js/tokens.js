// Tokens tab: the create dialog, the zone picker filter and the rate-limit slider preview.
(function () {
  "use strict";

  // "Create token" loads its form into a <dialog> with htmx; without JS the link opens the full page.
  // showModal() gives the focus trap and Escape-to-close.
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.target.closest("dialog");
    if (dialog && !dialog.open) {
      dialog.showModal();
      var first = dialog.querySelector("input:not([type=hidden]), select, button");
      if (first) first.focus();
    }
    var value = event.target.querySelector("#token-value");
    if (value) { value.focus(); value.select(); }
  });

  document.addEventListener("close", function (event) {
    // Leaving the dialog after a token was created: reload so the value leaves the page for good.
    if (event.target.id === "create-dialog" && event.target.querySelector("#token-value")) {
      window.location.reload();
    }
  }, true);

  document.addEventListener("input", function (event) {
    var filter = event.target.closest("[data-zone-filter]");
    if (filter) {
      var needle = filter.value.trim().toLowerCase();
      var picker = filter.closest("[data-zone-picker]") || document;
      picker.querySelectorAll(".zone-options label").forEach(function (label) {
        label.hidden = needle !== "" && label.textContent.toLowerCase().indexOf(needle) === -1;
      });
    }
    var slider = event.target.closest("[data-share-slider]");
    if (slider) {
      var percent = parseInt(slider.value, 10);
      var output = document.getElementById("share-value");
      if (output) output.textContent = percent;
      slider.form.querySelectorAll("[data-share-preview] [data-limit]").forEach(function (item) {
        var limit = parseInt(item.getAttribute("data-limit"), 10);
        item.querySelector("strong").textContent = Math.max(1, Math.floor(limit * percent / 100));
      });
    }
  });
})();
