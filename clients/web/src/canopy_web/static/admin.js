// The form designer (trust admin): show each item only the fields its kind of answer uses, and
// after an add/remove/move button (htmx swaps the page's content) put the focus where the change
// is. Without this script every field shows, with a hint saying which kind it is for.
(function () {
  "use strict";

  function showKinds(item) {
    var select = item.querySelector("[data-kind-select]");
    if (!select) { return; }
    item.querySelectorAll(".admin-kind").forEach(function (block) {
      var kinds = (block.dataset.kinds || "").split(" ");
      block.hidden = kinds.indexOf(select.value) === -1;
    });
  }

  function prepare(root) {
    root.querySelectorAll(".admin-item").forEach(showKinds);
    var designer = root.querySelector ? root.querySelector("#designer[data-focus]") : null;
    if (designer && designer.dataset.focus) {
      var target = document.getElementById(designer.dataset.focus);
      if (target) { target.focus(); }
    }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-kind-select]")) {
      var item = event.target.closest(".admin-item");
      if (item) { showKinds(item); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".admin-item").forEach(showKinds);
  });
  // htmx's event for content it has just put in the page.
  document.addEventListener("htmx:load", function (event) { prepare(event.target); });
})();
