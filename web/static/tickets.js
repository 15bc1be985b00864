// The ticket pages' forms: the submit button shows progress and cannot be pressed twice.
(function () {
  "use strict";
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit][data-busy]");
      if (!button) { return; }
      // Disabled after the submission is under way, so the button's own value is sent.
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.dataset.busy;
      }, 0);
    });
  });
})();
