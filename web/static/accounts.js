// The accounts pages: show only the binding the chosen role needs (hidden inputs are
// disabled, so they are not sent), and a submit button that cannot be pressed twice.
"use strict";

function showBindings(form) {
  const role = form.querySelector("#role");
  if (!role) return;
  const update = () => {
    for (const part of form.querySelectorAll(".binding")) {
      const shown = part.dataset.role === role.value;
      part.hidden = !shown;
      for (const input of part.querySelectorAll("input")) input.disabled = !shown;
    }
  };
  role.addEventListener("change", update);
  update();
}

function submitOnce(form) {
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    if (!button) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    if (form.dataset.working) button.textContent = form.dataset.working;
  });
}

for (const form of document.querySelectorAll("form[data-working]")) {
  showBindings(form);
  submitOnce(form);
}
