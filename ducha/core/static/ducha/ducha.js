// What every page does with script, kept out of the HTML so that the Content-Security-Policy can
// refuse every inline script and event handler (docs/security.md). Loaded at the end of the
// header, before the page is painted: the phone menu folds without a flash.
(function () {
  "use strict";

  // Phones: the navigation folds behind the menu button (without script it stays open).
  var bar = document.currentScript && document.currentScript.parentNode;
  var toggle = bar && bar.querySelector ? bar.querySelector(".navtoggle") : null;
  if (toggle) {
    bar.classList.add("collapsible");
    toggle.addEventListener("click", function () {
      var open = bar.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // <select data-autosubmit>: choosing an option submits its form (the language switch).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });

  // "Are you sure?" before consequential posts. A form (or the button that submits it) carries
  // the question in data-confirm; data-confirm-field / data-confirm-value ask only when that
  // field has that value (cancelling a project, not every stage change).
  function question(form, submitter) {
    if (submitter && submitter.dataset && submitter.dataset.confirm) return submitter.dataset.confirm;
    if (!form.dataset.confirm) return null;
    var field = form.dataset.confirmField;
    if (field) {
      var input = form.elements[field];
      if (!input || input.value !== form.dataset.confirmValue) return null;
    }
    return form.dataset.confirm;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") return;
    var text = question(form, event.submitter);
    if (text && !window.confirm(text)) event.preventDefault();
  });

  // <textarea data-maxchars>: a counter under it; past the limit it says by how much (the
  // server refuses such a text with the same words; nothing is ever cut).
  function count(area) {
    var out = area.nextElementSibling;
    if (!out || !out.classList.contains("char-count")) {
      out = document.createElement("div");
      out.className = "char-count small muted";
      out.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", out);
    }
    var max = parseInt(area.dataset.maxchars, 10);
    var n = area.value.length;
    var over = n > max;
    out.textContent = over
      ? area.dataset.counterOver.replace("{over}", String(n - max))
      : area.dataset.counter.replace("{n}", String(n));
    out.classList.toggle("over", over);
    area.setAttribute("aria-invalid", over ? "true" : "false");
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("textarea[data-maxchars]")) count(el);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-maxchars]").forEach(count);
  });

  // Phones: a table of four columns or more becomes a stack of cards below 720 px (ducha.css,
  // table.stack): each cell is labelled with its column's heading here, so nothing scrolls
  // sideways and no name is squeezed to one character a line. Tables a page adds later (the
  // cockpit's replay) are labelled as they arrive.
  function labelTable(table) {
    if (table.classList.contains("stack") || table.classList.contains("no-stack")) return;
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) return;
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim().replace(/\s+/g, " "));
    });
    if (labels.length < 4) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          cell.setAttribute("data-label", cell.colSpan > 1 ? "" : labels[col] || "");
          col += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stack");
  }
  function labelTables(root) {
    if (root.tagName === "TABLE") labelTable(root);
    else if (root.querySelectorAll) root.querySelectorAll("table").forEach(labelTable);
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelTables(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) labelTables(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });

  // <a data-back>: back to the previous page when there is one (the error pages), else home.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[data-back]") : null;
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });
})();
