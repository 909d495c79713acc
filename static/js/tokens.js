// Tokens tab: the create dialog, the type-ahead zone picker and the rate-limit slider preview.
(function () {
  "use strict";

  // --- Zone picker: shown only for the "following zones" choices; a type-ahead that adds removable chips.
  var ZONE_CHOICES = ["IN_ZONES", "NOT_IN_ZONES"];
  var pickers = 0;

  function syncPicker(form) {
    var select = form.querySelector("select[name=connection]");
    var picker = form.querySelector("[data-zone-picker]");
    if (select && picker) picker.hidden = ZONE_CHOICES.indexOf(select.value) === -1;
  }

  function enhancePicker(picker) {
    if (picker.hasAttribute("data-enhanced")) return;
    picker.setAttribute("data-enhanced", "");
    var n = ++pickers;
    var options = picker.querySelector("[data-zone-options]");
    var boxes = Array.prototype.slice.call(options.querySelectorAll("input[type=checkbox]"));
    var nameOf = function (box) { return box.closest("label").textContent.trim(); };
    options.hidden = true;

    var combo = document.createElement("div");
    combo.className = "zone-combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.id = "zone-search-" + n;
    input.placeholder = "Start typing a zone name";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "zone-suggestions-" + n);
    input.setAttribute("aria-label", "Add a network zone");
    var list = document.createElement("ul");
    list.id = "zone-suggestions-" + n;
    list.className = "zone-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Matching zones");
    list.hidden = true;
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", "Chosen zones");
    combo.append(input, list);
    options.after(combo, chips);
    var active = -1;

    function renderChips() {
      chips.replaceChildren();
      boxes.filter(function (box) { return box.checked; }).forEach(function (box) {
        var chip = document.createElement("li");
        chip.className = "chip";
        var label = document.createElement("span");
        label.textContent = nameOf(box);
        label.title = nameOf(box);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + nameOf(box));
        remove.addEventListener("click", function () {
          box.checked = false;
          renderChips();
          input.focus();
        });
        chip.append(label, remove);
        chips.append(chip);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(box) {
      box.checked = true;
      input.value = "";
      close();
      renderChips();
      input.focus();
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function suggest() {
      var needle = input.value.trim().toLowerCase();
      var matches = boxes.filter(function (box) {
        return !box.checked && nameOf(box).toLowerCase().indexOf(needle) !== -1;
      });
      list.replaceChildren();
      matches.slice(0, 50).forEach(function (box, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = nameOf(box);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(box); });
        list.append(item);
      });
      if (!matches.length) {
        var none = document.createElement("li");
        none.textContent = boxes.length ? "No other zone matches." : "No active IP zone with Policy usage exists.";
        none.className = "muted";
        list.append(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    input.addEventListener("input", suggest);
    input.addEventListener("focus", suggest);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") { event.preventDefault(); if (!open) suggest(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter") {
        event.preventDefault();  // choosing a zone never submits the form
        var items = list.querySelectorAll("[role=option]");
        var item = items[active] || (items.length === 1 ? items[0] : null);
        if (item) item.click();
      } else if (event.key === "Escape" && open) {
        event.preventDefault();  // close the suggestions, not the dialog
        event.stopPropagation();
        close();
      }
    });
    renderChips();
  }

  function enhance(root) {
    root.querySelectorAll("[data-zone-picker]").forEach(function (picker) {
      enhancePicker(picker);
      syncPicker(picker.closest("form"));
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name=connection]")) syncPicker(event.target.form);
  });
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });

  // --- Create dialog: loaded with htmx into a <dialog>; without JS the link opens the full page.
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.target);
    var dialog = event.target.closest("dialog");
    if (dialog && !dialog.open) dialog.showModal();
    var value = event.target.querySelector("#token-value");
    if (value) { value.focus(); value.select(); return; }
    if (dialog && !event.target.querySelector("[aria-invalid=true]")) {
      var first = dialog.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
  });

  // The one-time value: leaving without copying it asks once (Escape, ×); Done is a deliberate choice.
  function mayDiscard(dialog) {
    var value = dialog.querySelector("#token-value");
    if (!value || value.hasAttribute("data-copied")) return true;
    var warning = dialog.querySelector("[data-discard-warning]");
    if (!warning || !warning.hidden) return true;
    warning.hidden = false;
    value.focus();
    value.select();
    return false;
  }
  document.addEventListener("keydown", function (event) {
    var dialog = event.target.closest && event.target.closest("dialog#create-dialog");
    if (event.key === "Escape" && dialog && !mayDiscard(dialog)) event.preventDefault();
  }, true);
  document.addEventListener("cancel", function (event) {
    if (event.target.id === "create-dialog" && !mayDiscard(event.target)) event.preventDefault();
  }, true);
  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    var dialog = closer && closer.closest("dialog");
    if (!dialog) return;  // on the standalone page the links simply navigate
    event.preventDefault();
    if (closer.hasAttribute("data-done") || mayDiscard(dialog)) dialog.close();
  });
  document.addEventListener("close", function (event) {
    // Leaving the dialog after a token was created: reload so the value leaves the page for good.
    if (event.target.id === "create-dialog" && event.target.querySelector("#token-value")) {
      window.location.reload();
    }
  }, true);

  // --- Rate-limit slider: preview each API's share as the admin drags.
  document.addEventListener("input", function (event) {
    var slider = event.target.closest("[data-share-slider]");
    if (!slider) return;
    var percent = parseInt(slider.value, 10);
    var output = document.getElementById("share-value");
    if (output) output.textContent = percent;
    slider.form.querySelectorAll("[data-share-preview] [data-limit]").forEach(function (item) {
      var limit = parseInt(item.getAttribute("data-limit"), 10);
      item.querySelector("strong").textContent = Math.max(1, Math.floor(limit * percent / 100)).toLocaleString("en-US");
    });
  });
})();
