// Small behaviours every console page shares; loaded from 'self' (CSP has no inline scripts).
// One place each: the confirmation dialog, toasts, busy buttons, local times, focus after in-place actions.
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function focusable(root) {
    return root && root.querySelector("a[href], button:not([disabled]), input:not([type=hidden]), select, textarea");
  }

  // Times: the server writes UTC (<time datetime data-local>); show them in the viewer's zone, UTC on hover.
  // Short in tables ("Dec 1, 05:38"; the year when it is not this one), in full in the tooltip.
  var thisYear = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  var otherYear = { year: "numeric", month: "short", day: "numeric" };
  var full = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  function localTimes(root) {
    var now = new Date();
    root.querySelectorAll("time[data-local]:not([data-localised])").forEach(function (node) {
      var when = new Date(node.getAttribute("datetime"));
      if (isNaN(when)) return;
      var options = when.getFullYear() === now.getFullYear() ? thisYear : otherYear;
      node.title = full.format(when) + " · " + node.title;
      node.textContent = new Intl.DateTimeFormat(undefined, options).format(when);
      node.setAttribute("data-localised", "");
    });
  }

  // A table wider than its wrapper scrolls inside it and says so (the page itself never scrolls sideways).
  function scrollHints(root) {
    root.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute("data-overflowing", "");
      else wrap.removeAttribute("data-overflowing");
    });
  }

  function firstError(root) {
    return root.querySelector("[aria-invalid=true], .has-error input, .has-error select, .has-error textarea");
  }

  // Toasts: one live region (base.html); htmx responses send `HX-Trigger: {"warden:toast": {...}}`.
  function toast(message, level) {
    var region = document.getElementById("toasts");
    if (!region || !message) return;
    var item = document.createElement("div");
    item.className = "toast toast-" + (level || "success");
    var text = document.createElement("span");
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.append(text, close);
    region.append(item);
    setTimeout(function () { item.remove(); }, 8000);
  }
  window.wardenToast = toast;

  document.body.addEventListener("warden:toast", function (event) {
    toast(event.detail.message, event.detail.level);
  });
  // Counts that an in-place action changed: `HX-Trigger: {"warden:counts": {"api": 4, ...}}`.
  document.body.addEventListener("warden:counts", function (event) {
    Object.keys(event.detail).forEach(function (key) {
      if (key === "elt") return;
      document.querySelectorAll('[data-count-key="' + key + '"]').forEach(function (node) {
        node.textContent = event.detail[key];
      });
    });
  });

  onReady(function () {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("sidenav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    localTimes(document);
    scrollHints(document);
    var error = firstError(document.getElementById("main") || document);
    if (error) error.focus();
  });
  // Layout changes without an event we could name (fonts arriving, a dialog closing): watch the wrappers.
  var wrapWatcher = window.ResizeObserver && new ResizeObserver(function () { scrollHints(document); });
  function watchWraps(root) {
    if (wrapWatcher) root.querySelectorAll(".table-wrap, .table-wrap table").forEach(function (node) { wrapWatcher.observe(node); });
  }
  onReady(function () { watchWraps(document); });
  document.addEventListener("htmx:afterSettle", function (event) { watchWraps(event.target.parentNode || document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    localTimes(event.target);
    scrollHints(document);
    var error = firstError(event.target);
    if (error) error.focus();
  });

  // Copy to clipboard: <button data-copy-target="#id">. Falls back to selecting the text.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () {
      button.textContent = button.getAttribute("data-copied-label") || "Copied";
      source.setAttribute("data-copied", "");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { source.select && source.select(); });
    } else {
      if (source.select) { source.select(); }
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
    }
  });

  // Confirmation of destructive actions: <form data-confirm="Title"> with an optional
  // <template data-confirm-impact> inside saying what the action will do. One dialog (#confirm-dialog).
  var pending = null;
  function askToConfirm(form, proceed) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) { proceed(); return; }
    dialog.querySelector("#confirm-title").textContent = form.getAttribute("data-confirm");
    var impact = dialog.querySelector("#confirm-impact");
    impact.replaceChildren();
    var template = form.querySelector("template[data-confirm-impact]");
    if (template) impact.append(template.content.cloneNode(true));
    var ok = dialog.querySelector("[data-confirm-ok]");
    ok.textContent = form.getAttribute("data-confirm-label") || "Confirm";
    pending = { form: form, proceed: proceed, opener: document.activeElement };
    dialog.showModal();
    dialog.querySelector(".actions [data-confirm-cancel]").focus();
  }
  onReady(function () {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) return;
    dialog.querySelector("[data-confirm-ok]").addEventListener("click", function () {
      var job = pending;
      pending = null;
      dialog.close();
      if (job) job.proceed();
    });
    dialog.addEventListener("close", function () {
      if (pending && pending.opener && pending.opener.isConnected) pending.opener.focus();
      pending = null;
    });
    dialog.querySelectorAll("[data-confirm-cancel]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
  });
  // Plain forms: stop the submit and ask; htmx forms are asked through htmx:confirm below.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm") || form.hasAttribute("hx-post")) return;
    if (form.hasAttribute("data-confirmed")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    askToConfirm(form, function () {
      form.setAttribute("data-confirmed", "");
      form.requestSubmit();
    });
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) return;
    event.preventDefault();
    askToConfirm(form, function () { event.detail.issueRequest(true); });
  });

  // Busy feedback for plain forms (htmx requests get hx-disabled-elt and the htmx-request class from base.html).
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented || event.target.hasAttribute("hx-post") || event.target.hasAttribute("hx-get")) return;
    var button = event.submitter || event.target.querySelector("button[type=submit]");
    if (!button || event.target.method.toLowerCase() === "get") return;
    button.setAttribute("aria-busy", "true");
    setTimeout(function () { button.disabled = true; }, 0);  // after the browser has read the form
  });
  window.addEventListener("pageshow", function () {  // back/forward cache: buttons work again
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.removeAttribute("aria-busy");
      button.disabled = false;
    });
  });

  // Focus after an in-place row action: the same row's first action if it was replaced,
  // else the next row (or the page heading) so focus never drops to <body>.
  var rowBefore = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.detail.elt.closest && event.detail.elt.closest("tr[id]");
    rowBefore = row ? { id: row.id, next: row.nextElementSibling, table: row.closest("table") } : null;
  });
  // The swap may remove the element htmx reports on (afterSettle would not bubble), so act just after it.
  document.addEventListener("htmx:beforeSwap", function () { setTimeout(focusAfterRowAction, 0); });
  function focusAfterRowAction() {
    if (!rowBefore) return;
    var same = document.getElementById(rowBefore.id);
    var target = same ? focusable(same.querySelector(".row-actions")) || focusable(same)
      : (rowBefore.next && rowBefore.next.isConnected && focusable(rowBefore.next)) || document.querySelector("#main h1");
    rowBefore = null;
    if (target) {
      if (target.matches("h1")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }
})();
