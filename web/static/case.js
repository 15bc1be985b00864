/* The case pages' forms: the submit button shows progress and cannot be pressed twice. */
(function () {
  "use strict";
  document.querySelectorAll("form.step-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      button.disabled = true;
      button.textContent = button.getAttribute("data-busy") || button.textContent;
    });
  });
}());
