/* The reporting sheet (reporting/sheet.html): move between cells like a spreadsheet and paste
   a block copied from Excel or WPS (tab-separated columns, one line a row). The server parses
   every number (full-width digits, 千分位 commas, 万) and names every row at fault, so this
   only moves text into cells. No inline script: the CSP allows ducha's static files only. */
(function () {
  "use strict";
  var table = document.querySelector("table.sheet-grid");
  if (!table) { return; }
  var columns = (table.getAttribute("data-columns") || "").split(" ");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.sheet-row"));

  function cell(rowIndex, col) {
    var row = rows[rowIndex];
    return row ? row.querySelector("[data-col='" + col + "']") : null;
  }

  function position(el) {
    var row = el.closest("tr.sheet-row");
    return { row: rows.indexOf(row), col: el.getAttribute("data-col") };
  }

  function mark(el) {
    var prefill = el.getAttribute("data-prefill");
    if (prefill === null || prefill === "") { return; }
    el.classList.toggle("typed", el.value.trim() !== prefill);
  }

  function move(el, step) {
    var at = position(el);
    for (var i = at.row + step; i >= 0 && i < rows.length; i += step) {
      var next = cell(i, at.col);
      if (next) { next.focus(); if (next.select) { next.select(); } return true; }
    }
    return false;
  }

  function put(el, text) {
    text = text.trim();
    if (el.tagName === "SELECT") {
      for (var i = 0; i < el.options.length; i++) {
        var o = el.options[i];
        if (o.value === text || o.text.trim() === text) { el.selectedIndex = i; return; }
      }
      return; // no such choice: leave the cell as it was
    }
    el.value = text;
    mark(el);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  table.addEventListener("keydown", function (e) {
    var el = e.target;
    if (!el.hasAttribute || !el.hasAttribute("data-col") || e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    var inText = el.tagName === "TEXTAREA";
    if (e.key === "Enter" && !inText) {
      e.preventDefault(); // Enter moves down as in a spreadsheet; it never submits the sheet
      move(el, e.shiftKey ? -1 : 1);
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && el.tagName === "INPUT") {
      e.preventDefault();
      move(el, e.key === "ArrowDown" ? 1 : -1);
    }
  });

  table.addEventListener("input", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-prefill")) { mark(e.target); }
  });

  table.addEventListener("paste", function (e) {
    var el = e.target;
    if (!el.hasAttribute || !el.hasAttribute("data-col")) { return; }
    var text = (e.clipboardData || window.clipboardData).getData("text");
    if (!text || (text.indexOf("\n") < 0 && text.indexOf("\t") < 0)) { return; } // one cell
    e.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    var at = position(el);
    var first = columns.indexOf(at.col);
    var filled = 0;
    lines.forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var target = cell(at.row + i, columns[first + j]);
        if (target) { put(target, value); filled += 1; }
      });
    });
    var note = document.getElementById("sheet-paste-note");
    if (note) { note.textContent = note.getAttribute("data-template").replace("{n}", filled); }
  });

  rows.forEach(function (row) {
    Array.prototype.forEach.call(row.querySelectorAll("[data-prefill]"), mark);
  });
})();
