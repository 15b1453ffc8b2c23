// Keyboard review: j / k move between indicators, c confirms, e edits, d drops the focused one.
// Every action is also a plain button or link; this only saves reaching for the mouse.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".review-item"));
  if (!items.length) return;

  function current() {
    var active = document.activeElement;
    for (var i = 0; i < items.length; i++) {
      if (items[i] === active || items[i].contains(active)) return i;
    }
    return -1;
  }

  function focusItem(index) {
    var item = items[Math.max(0, Math.min(items.length - 1, index))];
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  // Land on the indicator named in the address (after confirming, the next pending one). The
  // address is anyone's to write: it is only compared with the items' ids, never evaluated,
  // parsed as HTML or pasted into a selector.
  var wanted = "";
  try { wanted = decodeURIComponent(location.hash.slice(1)); } catch (e) { wanted = ""; }
  items.forEach(function (item) { if (wanted && item.id === wanted) item.focus(); });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var index = current();
    if (event.key === "j") { focusItem(index + 1); event.preventDefault(); return; }
    if (event.key === "k") { focusItem(index < 0 ? 0 : index - 1); event.preventDefault(); return; }
    if (index < 0) return;
    // Compared, not pasted into a selector: a key such as " must not break the query.
    var control = Array.prototype.filter.call(items[index].querySelectorAll("[data-key]"), function (el) {
      return el.getAttribute("data-key") === event.key;
    })[0];
    if (!control) return;
    event.preventDefault();
    control.click();
  });
})();
