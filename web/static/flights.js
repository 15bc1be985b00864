// The flight upload page: many drone photos over tus, a few at a time, with overall and
// per-file progress (rows only for the files being sent and those that failed), retries,
// then the flight marked complete (change detection queued) and its summary from the server.
(function () {
  "use strict";
  var M = JSON.parse(document.getElementById("messages").textContent);
  var C = JSON.parse(document.getElementById("flight-config").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var chosen = [];
  var flight = null;
  var queue = [];
  var running = 0;
  var sent = 0;
  var failed = [];
  var bytesDone = 0;
  var bytesTotal = 0;
  var fileCount = 0;

  function el(id) { return document.getElementById(id); }

  function t(key, values) {
    var text = M[key] || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function size(bytes) {
    if (bytes >= 1073741824) { return (bytes / 1073741824).toFixed(1) + " GB"; }
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function fieldError(id, key) {
    var span = el(id).querySelector(".field-error");
    el(id).classList.toggle("has-error", Boolean(key));
    span.hidden = !key;
    span.textContent = key ? t(key) : "";
    return !key;
  }

  function choose(event) {
    chosen = Array.prototype.filter.call(event.target.files, function (file) {
      return file.name.charAt(0) !== "." && file.size > 0;
    });
    var total = chosen.reduce(function (sum, file) { return sum + file.size; }, 0);
    el("chosen").textContent = t("flight.chosen", {count: chosen.length, size: size(total)});
    fieldError("files-field", null);
  }
  el("folder").addEventListener("change", choose);
  el("files").addEventListener("change", choose);

  function overall() {
    var percent = bytesTotal ? Math.floor(100 * bytesDone / bytesTotal) : 0;
    el("overall-bar").value = percent;
    el("overall").textContent = t("flight.overall", {done: sent, total: fileCount, percent: percent, failed: failed.length});
  }

  function row(item) {
    var li = document.createElement("li");
    li.className = "uploading";
    var name = document.createElement("div");
    name.className = "name";
    name.textContent = item.file.webkitRelativePath || item.file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var status = document.createElement("div");
    status.className = "status";
    li.append(name, bar, status);
    el("active").append(li);
    item.li = li;
    item.bar = bar;
    item.status = status;
  }

  function newUploadId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function errorText(error) {
    var response = error && error.originalResponse;
    if (response) {
      var status = response.getStatus();
      var body = null;
      try { body = JSON.parse(response.getBody()); } catch (ignored) { body = null; }
      if (status === 413) { return t("flight.too_large"); }
      if (status === 403 && body && body.error === "csrf") { return t("error.csrf"); }
      if (status === 401) { return t("error.not_signed_in"); }
      if (body && body.detail) { return body.detail; }
      return String(status);
    }
    return error ? String(error.message || error).split("\n")[0] : "";
  }

  function fail(item, error) {
    item.li.className = "failed";
    item.status.textContent = t("flight.file_failed", {message: errorText(error)});
    failed.push(item);
    var again = document.createElement("button");
    again.type = "button";
    again.textContent = t("flight.retry");
    again.addEventListener("click", function () {
      again.remove();
      failed.splice(failed.indexOf(item), 1);
      item.li.className = "uploading";
      queue.push(item);
      pump();
    });
    item.li.append(again);
  }

  function send(item) {
    running += 1;
    if (!item.li) { row(item); }
    var counted = 0;
    item.upload = item.upload || new window.tus.Upload(item.file, {
      endpoint: "/api/uploads/tus",
      chunkSize: C.chunk_size,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      removeFingerprintOnSuccess: true,
      headers: {"X-CSRF-Token": csrf},
      metadata: {filename: item.file.name, filetype: item.file.type || "application/octet-stream",
                 kind: "photo", flight: String(flight), upload_id: item.id},
      onProgress: function (loaded, total) {
        bytesDone += loaded - counted;
        counted = loaded;
        var percent = total ? Math.floor(100 * loaded / total) : 0;
        item.bar.value = percent;
        item.status.textContent = t("flight.file_progress", {percent: percent});
        overall();
      },
      onSuccess: function () {
        running -= 1;
        sent += 1;
        item.li.remove();
        overall();
        pump();
      },
      onError: function (error) {
        running -= 1;
        fail(item, error);
        overall();
        pump();
      }
    });
    item.upload.findPreviousUploads().then(function (previous) {
      if (previous.length) { item.upload.resumeFromPreviousUpload(previous[0]); }
      item.upload.start();
    });
  }

  function pump() {
    while (running < C.concurrency && queue.length) { send(queue.shift()); }
    if (!running && !queue.length) { watch(); }
  }

  function summary(body) {
    var counts = el("counts");
    counts.textContent = "";
    [["stored", body.counts.stored], ["duplicate", body.counts.duplicate],
     ["rejected", body.counts.rejected], ["failed", failed.length]].forEach(function (pair) {
      var dt = document.createElement("dt");
      dt.textContent = t("flight.count." + pair[0]);
      var dd = document.createElement("dd");
      dd.id = "count-" + pair[0];
      dd.textContent = t("flight.count_value", {count: pair[1]});
      counts.append(dt, dd);
    });
    var sites = el("sites");
    sites.textContent = "";
    body.sites.forEach(function (site) {
      var li = document.createElement("li");
      li.textContent = site.code + " " + site.name;
      sites.append(li);
    });
    if (!body.sites.length) {
      var none = document.createElement("li");
      none.textContent = t("flight.no_sites");
      sites.append(none);
    }
    var rejected = el("rejected");
    rejected.textContent = "";
    body.rejected.forEach(function (item) {
      var li = document.createElement("li");
      var code = item.reason_code && M["upload.reason." + item.reason_code];
      li.textContent = item.name + "：" + (code || item.reason);
      rejected.append(li);
    });
    el("rejected-title").hidden = !body.rejected.length;
    el("summary").hidden = false;
  }

  function watch() {
    fetch("/api/flights/" + flight, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var finished = body.counts.stored + body.counts.duplicate + body.counts.rejected;
        if (body.counts.processing || finished < sent) {
          el("overall").textContent = t("flight.processing", {count: Math.max(body.counts.processing, sent - finished)});
          window.setTimeout(watch, 1000);
          return;
        }
        complete();
      });
  }

  // Every file is sent and processed: say the flight is complete (change detection is
  // queued for the sites it covers), then show its summary.
  function complete() {
    fetch("/api/flights/" + flight + "/complete",
          {method: "POST", credentials: "same-origin", headers: {"X-CSRF-Token": csrf}})
      .then(function (r) { return r.json().then(function (json) { return {ok: r.ok, json: json}; }); })
      .then(function (answer) {
        if (!answer.ok) {
          el("form-error").textContent = t("flight.error.complete", {message: answer.json.detail || ""});
          el("form-error").hidden = false;
          el("submit").disabled = false;
          return;
        }
        overall();
        summary(answer.json);
        el("submit").disabled = false;
      });
  }

  function target() {
    var value = el("target").value.split(":");
    var body = {};
    if (value.length === 2) { body[value[0] + "_id"] = Number(value[1]); }
    return body;
  }

  el("flight-form").addEventListener("submit", function (event) {
    event.preventDefault();
    el("form-error").hidden = true;
    var ok = [fieldError("name-field", el("flight-name").value.trim() ? null : "flight.error.name"),
              fieldError("target-field", el("target").value ? null : "flight.error.target"),
              fieldError("files-field", chosen.length ? null : "flight.error.files")];
    if (ok.indexOf(false) !== -1) { return; }
    el("submit").disabled = true;
    var body = target();
    body.name = el("flight-name").value.trim();
    body.metadata_only = el("metadata-only").checked;
    fetch("/api/flights", {method: "POST", credentials: "same-origin",
                           headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
                           body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (json) { return {ok: r.ok, json: json}; }); })
      .then(function (answer) {
        if (!answer.ok) {
          el("form-error").textContent = t("flight.error.create", {message: answer.json.detail || ""});
          el("form-error").hidden = false;
          el("submit").disabled = false;
          return;
        }
        flight = answer.json.id;
        fileCount = chosen.length;
        queue = chosen.map(function (file) { return {file: file, id: newUploadId()}; });
        bytesTotal = chosen.reduce(function (sum, file) { return sum + file.size; }, 0);
        chosen = [];
        el("progress").hidden = false;
        el("summary").hidden = true;
        overall();
        pump();
      });
  });
}());
