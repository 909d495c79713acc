// Reports › System Log: the viewer's time zone, and filters open on wide screens only (events first on a phone).
(function () {
  "use strict";

  // Times are rendered in the URL's `tz`; a first visit without one comes back once with the browser's zone.
  var params = new URLSearchParams(window.location.search);
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!params.get("tz") && zone && zone !== "UTC" && zone !== "Etc/UTC") {
    params.set("tz", zone);
    window.location.replace(window.location.pathname + "?" + params.toString());
    return;
  }

  function ready() {
    var tzField = document.querySelector("[data-log-tz]");
    if (tzField && !tzField.value && zone) tzField.value = zone;
    var filters = document.querySelector("[data-log-filters]");
    if (filters && window.matchMedia("(min-width: 761px)").matches) filters.open = true;
  }
  if (document.readyState !== "loading") ready(); else document.addEventListener("DOMContentLoaded", ready);
})();
