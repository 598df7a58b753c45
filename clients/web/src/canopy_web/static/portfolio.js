// The portfolio's evidence forms. A file larger than the limit is refused here, beside its field,
// before the form is sent (the server would refuse it too, but only after the whole upload, and a
// body past the client's own limit would end on an error page with the form lost).
(function () {
  "use strict";

  function message(input) {
    var id = input.id + "-size-error";
    var shown = document.getElementById(id);
    if (!shown) {
      shown = document.createElement("span");
      shown.className = "field-error";
      shown.id = id;
      input.parentNode.insertBefore(shown, input);
    }
    return shown;
  }

  function tooLarge(input) {
    var limit = parseInt(input.dataset.maxBytes, 10);
    return input.files && input.files.length && limit && input.files[0].size > limit;
  }

  function check(input) {
    var field = input.closest(".field");
    var shown = document.getElementById(input.id + "-size-error");
    if (tooLarge(input)) {
      message(input).textContent = input.dataset.tooLarge;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "").replace(" " + input.id + "-size-error", "") + " " + input.id + "-size-error");
      if (field) { field.classList.add("invalid"); }
      return false;
    }
    if (shown) {
      shown.remove();
      input.removeAttribute("aria-invalid");
      if (field) { field.classList.remove("invalid"); }
    }
    return true;
  }

  // A refusal shown in a form further down the page (the evidence forms): brought into view and
  // focused, so the person (and a screen reader) lands on the reason rather than the page's top.
  document.addEventListener("DOMContentLoaded", function () {
    var refusal = document.querySelector("[data-focus-on-load]");
    if (refusal) { refusal.focus(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) { check(event.target); }
  });

  // Capture phase: runs before app.js marks the form as sent, so a refused file leaves it sendable.
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      if (!check(inputs[i])) {
        event.preventDefault();
        event.stopPropagation();
        inputs[i].focus();
        return;
      }
    }
  }, true);
})();
