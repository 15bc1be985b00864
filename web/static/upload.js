// The upload page: per-file progress, one upload id per file (so a retry stores nothing
// twice), the device's location, a manual pin, and what happened to each file.
(function () {
  "use strict";
  var M = JSON.parse(document.getElementById("messages").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var chosen = [];
  var device = null;
  var pin = null;
  var marker = null;

  function t(key, values) {
    var text = M[key] || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function el(id) { return document.getElementById(id); }

  function newUploadId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function showChosen() {
    el("chosen").textContent = chosen.length ? t("upload.chosen", {count: chosen.length}) : "";
  }

  ["take", "pick"].forEach(function (id) {
    el(id).addEventListener("change", function (event) {
      Array.prototype.forEach.call(event.target.files, function (file) {
        chosen.push({file: file, id: newUploadId()});
      });
      event.target.value = "";
      showChosen();
    });
  });

  function locate() {
    if (!navigator.geolocation) { el("device").textContent = t("upload.no_device_location"); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      device = {lon: p.coords.longitude, lat: p.coords.latitude};
      el("device").textContent = t("upload.device_location", {
        lon: device.lon.toFixed(5), lat: device.lat.toFixed(5),
        accuracy: Math.round(p.coords.accuracy)});
    }, function () {
      el("device").textContent = t("upload.no_device_location");
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  }

  function setPin(latlng) {
    pin = {lon: latlng.lng, lat: latlng.lat};
    el("pin").textContent = t("upload.pin", {lon: pin.lon.toFixed(5), lat: pin.lat.toFixed(5)});
    el("clear-pin").hidden = false;
  }

  function startMap() {
    var box = JSON.parse(el("pin-map").dataset.bounds || "null");
    var map = L.map("pin-map", {attributionControl: false});
    if (box) { map.fitBounds([[box[1], box[0]], [box[3], box[2]]]); } else { map.setView([28.7, 121.4], 11); }
    var basemap = document.body.dataset.basemap;
    if (basemap) { L.tileLayer(basemap, {maxZoom: 19}).addTo(map); }
    if (box) {
      var query = "/api/layers/grid-cells?bbox=" + box.join(",") + (el("pin-map").dataset.mine ? "&mine=true" : "");
      fetch(query, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (cells) {
          if (cells) { L.geoJSON(cells, {style: {color: "#1f5f4a", weight: 1, fillOpacity: 0.05}, interactive: false}).addTo(map); }
        });
    }
    map.on("click", function (e) {
      setPin(e.latlng);
      if (marker) { marker.setLatLng(e.latlng); } else {
        marker = L.circleMarker(e.latlng, {radius: 9, color: "#a4161a", weight: 3}).addTo(map);
      }
    });
    el("clear-pin").addEventListener("click", function () {
      pin = null;
      if (marker) { map.removeLayer(marker); marker = null; }
      el("pin").textContent = "";
      el("clear-pin").hidden = true;
    });
  }

  function row(item) {
    var li = document.createElement("li");
    li.className = "waiting";
    var name = document.createElement("div");
    name.className = "name";
    name.textContent = item.file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var status = document.createElement("div");
    status.className = "status";
    status.textContent = t("upload.waiting");
    li.append(name, bar, status);
    el("results").append(li);
    item.li = li;
    item.bar = bar;
    item.status = status;
  }

  function line(item, cls, text) {
    var p = document.createElement("div");
    p.className = cls;
    p.textContent = text;
    item.li.append(p);
  }

  function flagText(flag) {
    var key = "flag." + flag.split(":")[0];
    return M[key] ? t(key) : flag;
  }

  function done(item, body) {
    var photo = body.photo;
    item.li.className = body.status;
    item.bar.value = 100;
    item.status.textContent = t(body.status === "stored" ? "upload.stored" : "upload.duplicate", {id: photo.id});
    line(item, "located", t("upload.located", {source: t("location." + photo.location_source)}));
    if (body.flags.length) { line(item, "flags", body.flags.map(flagText).join("；")); }
    if (body.patrol_case) { line(item, "case", t("upload.patrol_case", {reference: body.patrol_case})); }
    if (body.patrol_refused) { line(item, "flags", t("upload.patrol_refused")); }
  }

  // An orthophoto: converted in the background; the tasks page follows it.
  function queued(item, body) {
    item.li.className = "queued";
    item.bar.value = 100;
    item.status.textContent = t("upload.queued", {id: body.job_id});
    var link = document.createElement("a");
    link.href = "/tasks";
    link.textContent = t("upload.see_tasks");
    item.li.append(link);
  }

  function refused(item, status, body) {
    item.li.className = "rejected";
    var kind = body && body.error;
    var key = kind === "rejected_file" ? "upload.rejected" : kind === "csrf" ? "error.csrf" :
      kind === "too_large" || status === 413 ? "upload.too_large" :
      kind === "conflict" ? "upload.conflict" : status === 401 ? "error.not_signed_in" : null;
    item.status.textContent = key ? t(key) : t("upload.error", {message: (body && body.detail) || status});
    var reason = body && body.reason_code && "upload.reason." + body.reason_code;
    if (reason && M[reason]) { line(item, "detail", t(reason)); }
    else if (body && body.detail) { line(item, "detail", body.detail); }
  }

  function failed(item, resolve) {
    item.li.className = "failed";
    item.status.textContent = t("upload.failed");
    var again = document.createElement("button");
    again.type = "button";
    again.textContent = t("upload.retry");
    again.addEventListener("click", function () {
      again.remove();
      send(item).then(function () {});
    });
    item.li.append(again);
    resolve();
  }

  // Files over 20 MB go over tus: sent in chunks, resumed where they stopped after a dropped
  // connection or a restarted server; the server then ingests them and this page asks it.
  var LARGE = 20 * 1024 * 1024;
  var TIFF = /\.tiff?$/i;

  function largeMetadata(item) {
    var data = {filename: item.file.name, filetype: item.file.type || "application/octet-stream",
                kind: TIFF.test(item.file.name) ? "orthophoto" : "photo", upload_id: item.id,
                problem_found: el("problem").checked ? "true" : "false"};
    if (device) { data.device_lon = String(device.lon); data.device_lat = String(device.lat); }
    if (pin) {
      data.manual_lon = String(pin.lon);
      data.manual_lat = String(pin.lat);
      data.pin_crs = document.body.dataset.basemapCrs || "wgs84";
    }
    var note = el("note").value.trim();
    if (note) { data.note = note; }
    return data;
  }

  function outcome(item, uid, resolve) {
    fetch("/api/uploads/" + uid, {credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (body) { return {status: r.status, body: body}; }); })
      .then(function (answer) {
        var body = answer.body;
        if (answer.status === 200 && body.status === "processing") {
          window.setTimeout(function () { outcome(item, uid, resolve); }, 1000);
          return;
        }
        if (answer.status === 200 && body.photo) { done(item, body); }
        else if (answer.status === 200) {
          refused(item, 422, {error: "rejected_file", reason_code: body.reason_code, detail: body.reason});
        } else { refused(item, answer.status, body); }
        resolve();
      }, function () { window.setTimeout(function () { outcome(item, uid, resolve); }, 3000); });
  }

  function tusRefused(item, error, resolve) {
    var response = error && error.originalResponse;
    if (!response) { failed(item, resolve); return; }
    var body = null;
    try { body = JSON.parse(response.getBody()); } catch (ignored) { body = null; }
    refused(item, response.getStatus(), body);
    resolve();
  }

  function sendLarge(item) {
    return new Promise(function (resolve) {
      item.li.className = "uploading";
      var upload = new window.tus.Upload(item.file, {
        endpoint: "/api/uploads/tus",
        chunkSize: 8 * 1024 * 1024,
        retryDelays: [0, 1000, 2000, 3000, 5000, 5000, 10000, 10000, 20000, 30000],
        removeFingerprintOnSuccess: true,
        headers: {"X-CSRF-Token": csrf},
        metadata: largeMetadata(item),
        onProgress: function (loaded, total) {
          var percent = total ? Math.floor(100 * loaded / total) : 0;
          item.bar.value = percent;
          item.status.textContent = t("upload.large.resuming", {percent: percent});
        },
        onSuccess: function () {
          item.status.textContent = t("upload.large.processing");
          outcome(item, upload.url.split("/").pop(), resolve);
        },
        onError: function (error) { tusRefused(item, error, resolve); }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
        upload.start();
      });
    });
  }

  function send(item) {
    if (item.file.size > LARGE && window.tus) { return sendLarge(item); }
    return new Promise(function (resolve) {
      var form = new FormData();
      form.append("file", item.file, item.file.name);
      form.append("upload_id", item.id);
      if (device) { form.append("device_lon", device.lon); form.append("device_lat", device.lat); }
      if (pin) {
        form.append("manual_lon", pin.lon);
        form.append("manual_lat", pin.lat);
        form.append("pin_crs", document.body.dataset.basemapCrs || "wgs84");
      }
      var note = el("note").value.trim();
      if (note) { form.append("note", note); }
      form.append("problem_found", el("problem").checked ? "true" : "false");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/photos");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round(100 * e.loaded / e.total);
        item.bar.value = percent;
        item.status.textContent = t("upload.uploading", {percent: percent});
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
        if (xhr.status === 200 && body) { done(item, body); }
        else if (xhr.status === 202 && body) { queued(item, body); }
        else { refused(item, xhr.status, body); }
        resolve();
      };
      xhr.onerror = function () { failed(item, resolve); };
      item.li.className = "uploading";
      xhr.send(form);
    });
  }

  el("upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    el("form-error").hidden = true;
    if (!chosen.length) {
      el("form-error").textContent = t("upload.none_chosen");
      el("form-error").hidden = false;
      return;
    }
    var batch = chosen;
    chosen = [];
    showChosen();
    batch.forEach(row);
    batch.reduce(function (previous, item) {
      return previous.then(function () { return send(item); });
    }, Promise.resolve());
  });

  locate();
  startMap();
}());
