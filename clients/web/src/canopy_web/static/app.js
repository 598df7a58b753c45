// Canopy's web client: the little that runs in the browser. No inline script anywhere (the CSP
// forbids it), so everything a page needs is wired here from data- attributes.
(function () {
  "use strict";

  // htmx requests carry the session's CSRF token, read from the page's <meta>.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRF-Token"] = meta.content; }
  });

  // A form submits once: the button is disabled while the request is on its way (a double click
  // would otherwise send it twice; the Idempotency-Key in the form makes a resend harmless too).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "yes" && !form.hasAttribute("hx-post")) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "yes";
    form.querySelectorAll('button[type="submit"]').forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll('button[aria-disabled="true"]').forEach(function (b) { b.removeAttribute("aria-disabled"); });
    });
  });
  // An htmx form stays on the page (a search, a filter): once its answer is in, it can be sent again.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form && form.dataset.submitted === "yes") {
      delete form.dataset.submitted;
      form.querySelectorAll('button[aria-disabled="true"]').forEach(function (b) { b.removeAttribute("aria-disabled"); });
    }
  });

  // "Select all" boxes: data-select-all="name" ticks every checkbox of that name.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.dataset && box.dataset.selectAll) {
      document.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(function (other) {
        other.checked = box.checked;
      });
    }
  });

  // Links and buttons that confirm first: data-confirm="Decline 3 requests?".
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) { event.preventDefault(); }
  });

  // The service worker that keeps offline drop-ins (static/sw.js), where the page asks for it.
  if ("serviceWorker" in navigator && document.querySelector('meta[name="offline-queue"]')) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
})();
