// Record forms (complaints): the submit button disables itself and says it is submitting,
// so a form cannot be sent twice.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      button.disabled = true;
      button.textContent = form.dataset.submitting;
    });
  });
})();
