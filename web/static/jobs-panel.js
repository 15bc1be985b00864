// The frame's jobs panel: while the user has unfinished jobs, ask how many every few
// seconds and say so ("正在处理 N 项"); hidden once none is left.
(function () {
  "use strict";
  var panel = document.getElementById("jobs-panel");
  if (!panel) { return; }
  var EVERY_MS = 3000;

  function show(count) {
    panel.dataset.count = String(count);
    panel.textContent = panel.dataset.label.replace("{count}", String(count));
    panel.hidden = count === 0;
  }

  function poll() {
    fetch("/api/jobs/active", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        show(body.count);
        if (body.count > 0) { window.setTimeout(poll, EVERY_MS); }
      })
      .catch(function () { window.setTimeout(poll, EVERY_MS * 2); });
  }

  if (Number(panel.dataset.count) > 0) { window.setTimeout(poll, EVERY_MS); }
}());
