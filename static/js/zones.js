// Networks › Add zone: show only the fieldset of the chosen zone type (no inline scripts under our CSP).
(function () {
  "use strict";
  function sync(select) {
    document.querySelectorAll("fieldset[data-zone-type]").forEach(function (fieldset) {
      fieldset.hidden = fieldset.getAttribute("data-zone-type") !== select.value;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-zone-type-select]");
    if (!select) return;
    sync(select);
    select.addEventListener("change", function () { sync(select); });
  });
})();
