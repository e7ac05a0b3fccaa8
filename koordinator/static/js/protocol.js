/* The protocol editor's keyboard and version handling. The page works without it (plain
   forms, full reloads); with it, htmx swaps only the part that changed.

   - Every editing form carries the protocol version it was opened at. After each of our own
     saves the server sends the new version out of band (#protocol-version); we copy it into
     every form, so only someone else's save makes ours stale.
   - Ctrl+Enter (Cmd+Enter) in a decision: save it and add the next one (the server focuses
     the new decision's text). Alt+N: add a decision to the item the cursor is in.
   - A refused save (400 / 409) comes back as the same form filled with what was typed: we let
     htmx swap it in instead of dropping it. */
(function () {
  "use strict";

  function syncVersions() {
    var el = document.getElementById("protocol-version");
    if (!el || !el.dataset.version) return;
    document.querySelectorAll("form[data-versioned] input[name='version']").forEach(function (input) {
      input.value = el.dataset.version;
    });
  }

  function focusFromHash() {
    var match = /^#decision-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    var text = document.querySelector("#decision-" + match[1] + " textarea[name='text']");
    if (text) text.focus();
  }

  function showError(message) {
    var box = document.getElementById("protocol-alert");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:beforeRequest", function () { showError(""); });
  document.addEventListener("htmx:afterSettle", syncVersions);
  document.addEventListener("protocol-error", function (event) {
    showError((event.detail && event.detail.value) || "");
  });
  document.addEventListener("htmx:responseError", function (event) {
    showError("Не удалось сохранить (" + event.detail.xhr.status + "). Обновите страницу.");
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = target.closest("form.decision-form");
      if (form) {
        event.preventDefault();
        var next = form.querySelector("button[name='next']");
        if (next) next.click();
      }
      return;
    }
    if (event.altKey && !event.ctrlKey && (event.code === "KeyN" || event.key === "n" || event.key === "N")) {
      var item = target.closest(".protocol-item") || document.querySelector(".protocol-item");
      var add = item && item.querySelector("button.add-decision");
      if (add) {
        event.preventDefault();
        add.click();
      }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    syncVersions();
    focusFromHash();
  });
})();
