// The upload page: photos go into a queue kept on the device (IndexedDB, upload-queue.js)
// with where and when they were taken, the note and "problem found", then are sent one by
// one, each with its own upload id (so a retry stores nothing twice). With no signal they
// wait; they are sent by themselves when the connection returns (and on 立即发送). Files
// over 20 MB (orthophotos) are sent at once over tus, resumably, as before.
(function () {
  "use strict";
  var M = JSON.parse(document.getElementById("messages").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var Q = window.UploadQueue;
  var Area = window.UploadArea;
  var chosen = [];
  var device = null;
  var pin = null;
  var marker = null;
  var rows = {};      // upload id -> its row on the page
  var unsaved = {};   // records the device would not keep (no IndexedDB): sent from memory
  var flushing = false;
  var LARGE = 20 * 1024 * 1024;
  var TIFF = /\.tiff?$/i;
  var KEEP_DONE_MS = 3 * 24 * 3600 * 1000; // sent and refused photos stay listed 3 days
  var RETRY_MS = 30000;

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
      Array.prototype.forEach.call(event.target.files, function (file) { chosen.push(file); });
      event.target.value = "";
      showChosen();
    });
  });

  function locate() {
    if (!navigator.geolocation) { el("device").textContent = t("upload.no_device_location"); return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      device = {lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy};
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
    var map = L.map("pin-map");
    if (box) { map.fitBounds([[box[1], box[0]], [box[3], box[2]]]); } else { map.setView([28.7, 121.4], 11); }
    window.LookbackBasemaps.attach(map);
    var cellStyle = {style: {color: "#1f5f4a", weight: 1, fillOpacity: 0.05}, interactive: false};
    if (Area.area) {  // the officer's own cells, carried by the page: drawn with no signal too
      L.geoJSON(Area.area.cells, {style: {color: "#1f5f4a", weight: 2, fillOpacity: 0.08},
                                  interactive: false, className: "own-cell"}).addTo(map);
      Area.keepTiles(map);
    } else if (box) {
      var query = "/api/layers/grid-cells?bbox=" + box.join(",") + (el("pin-map").dataset.mine ? "&mine=true" : "");
      fetch(query, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (cells) {
          if (cells) { L.geoJSON(cells, cellStyle).addTo(map); }
        }, function () { return null; });
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

  // What the form says now: it goes with every photo chosen for this upload.
  function fields() {
    return {device: device, pin: pin, pin_crs: document.body.dataset.basemapCrs || "wgs84",
            note: el("note").value.trim(), problem_found: el("problem").checked};
  }

  function pad(n) { return ("0" + n).slice(-2); }

  function queuedAt(iso) {
    var d = new Date(iso);
    return t("upload.queued_at", {year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(),
                                  time: pad(d.getHours()) + ":" + pad(d.getMinutes())});
  }

  // --- where a photo is, said before it is sent (the pin, else the photo's GPS, else the
  // device's position, as the server will choose) ---

  function onMap(lon, lat) {  // a WGS 84 position as the basemap shows it
    if ((document.body.dataset.basemapCrs || "wgs84") !== "gcj02") { return [lon, lat]; }
    return window.lookbackGcj02.fromWgs84(lon, lat);
  }

  function photoGps(bytes) {
    if (!window.exifr) { return Promise.resolve(null); }
    return window.exifr.gps(bytes).then(function (gps) {
      return gps && isFinite(gps.longitude) && isFinite(gps.latitude) ? gps : null;
    }, function () { return null; });
  }

  function placeOf(bytes, form) {
    if (form.pin) { return Promise.resolve({source: "manual", lon: form.pin.lon, lat: form.pin.lat}); }
    return photoGps(bytes).then(function (gps) {
      var wgs = gps ? [gps.longitude, gps.latitude] : form.device ? [form.device.lon, form.device.lat] : null;
      if (!wgs) { return null; }
      var shown = onMap(wgs[0], wgs[1]);
      return {source: gps ? "exif" : "device", lon: shown[0], lat: shown[1]};
    });
  }

  // What the page can say of a place with no signal: {text, outside}, or null.
  function placeNote(place) {
    if (!place) { return Area.area ? {text: t("upload.area.no_place"), outside: false} : null; }
    var found = Area.lookup(place.lon, place.lat);
    if (!found) { return null; }
    var where = found.cell ? t("upload.area.inside", {cell: found.cell.name || found.cell.code})
      : t("upload.area.outside");
    var site = found.site ? t("upload.area.nearest", {name: found.site.name, code: found.site.code,
                                                      distance: Math.round(found.site.distance)})
      : t("upload.area.no_site", {radius: Math.round(Area.area.radius_m)});
    return {text: t("upload.area.source", {source: t("upload.area.from." + place.source)}) +
              where + "；" + site, outside: !found.cell};
  }

  // --- rows: one per photo, with its state (等待发送 / 正在发送 / 已发送 / 被拒绝) ---

  function row(id, name) {
    var li = document.createElement("li");
    li.className = "waiting";
    li.dataset.uploadId = id;
    var title = document.createElement("div");
    title.className = "name";
    title.textContent = name;
    var state = document.createElement("div");
    state.className = "state";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var status = document.createElement("div");
    status.className = "status";
    li.append(title, state, bar, status);
    el("results").append(li);
    rows[id] = {li: li, bar: bar, state: state, status: status, id: id};
    return rows[id];
  }

  function setState(item, state, reason) {
    item.li.dataset.state = state;
    item.state.className = "state " + state;
    item.state.textContent = t("upload.state." + state, {reason: reason || ""});
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

  // A refusal: what it was and why, in Chinese when the reason has a translation; the reason.
  function refused(item, status, body) {
    item.li.className = "rejected";
    var kind = body && body.error;
    var key = kind === "rejected_file" ? "upload.rejected" : kind === "csrf" ? "error.csrf" :
      kind === "too_large" || status === 413 ? "upload.too_large" :
      kind === "conflict" ? "upload.conflict" : status === 401 ? "error.not_signed_in" : null;
    item.status.textContent = key ? t(key) : t("upload.error", {message: (body && body.detail) || status});
    var reason = body && body.reason_code && "upload.reason." + body.reason_code;
    if (reason && M[reason]) { line(item, "detail", t(reason)); return t(reason); }
    if (body && body.detail) { line(item, "detail", body.detail); }
    return key ? t(key).replace(/^未保存：/, "") : String((body && body.detail) || status);
  }

  function sent(item, answer) {
    if (answer.status === 202) { queued(item, answer.body); } else { done(item, answer.body); }
    setState(item, "sent");
  }

  function refusedRow(record, item) {
    setState(item, "refused", refused(item, record.refusal.status, record.refusal.body));
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "remove";
    drop.textContent = t("upload.remove");
    drop.addEventListener("click", function () {
      Q.remove(record.id).then(function () { item.li.remove(); delete rows[record.id]; });
    });
    item.li.append(drop);
  }

  function waitingRow(record, item, note) {
    item.li.className = "waiting";
    item.bar.value = 0;
    setState(item, "waiting");
    item.status.textContent = note || queuedAt(record.queued_at);
  }

  function show(record) {
    var item = row(record.id, record.name);
    var place = placeNote(record.place);
    if (place) { line(item, place.outside ? "place outside" : "place", place.text); }
    if (record.state === "sent") { sent(item, record.outcome); }
    else if (record.state === "refused") { refusedRow(record, item); }
    else { waitingRow(record, item); }
  }

  // --- the queue ---

  function save(record) {
    return Q.put(record).then(function () { delete unsaved[record.id]; }, function () {
      unsaved[record.id] = record;
    });
  }

  function waiting() {
    return Q.all().catch(function () { return []; }).then(function (records) {
      var known = {};
      records.forEach(function (r) { known[r.id] = true; });
      Object.keys(unsaved).forEach(function (id) { if (!known[id]) { records.push(unsaved[id]); } });
      return records.filter(function (r) { return r.state === "waiting" || r.state === "sending"; });
    });
  }

  function summary() {
    return waiting().then(function (records) {
      el("queue-summary").textContent = records.length ? t("upload.queue_count", {count: records.length}) : t("upload.queue_empty");
      el("send-now").hidden = !records.length;
    });
  }

  function network() { el("offline").hidden = navigator.onLine !== false; }

  // POST one queued photo; {status, body}, or {network: true} when no answer came.
  function post(record, item) {
    return new Promise(function (resolve) {
      var form = new FormData();
      form.append("file", new Blob([record.bytes], {type: record.type || "application/octet-stream"}), record.name);
      form.append("upload_id", record.id);
      if (record.device) { form.append("device_lon", record.device.lon); form.append("device_lat", record.device.lat); }
      if (record.pin) {
        form.append("manual_lon", record.pin.lon);
        form.append("manual_lat", record.pin.lat);
        form.append("pin_crs", record.pin_crs);
      }
      if (record.note) { form.append("note", record.note); }
      form.append("problem_found", record.problem_found ? "true" : "false");
      // When it was taken, by the device's clock: the server uses it for a photo with no
      // time of its own (never over its EXIF time).
      if (record.queued_at && !record.without_time) { form.append("captured_at", record.queued_at); }
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
        if (!xhr.status) { resolve({network: true}); return; }
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
        resolve({status: xhr.status, body: body});
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({network: true}); };
      xhr.send(form);
    });
  }

  // A device clock the server finds ahead of its own: the photo is sent again without its
  // time rather than refused (its EXIF time, if any, still counts).
  function postTimed(record, item) {
    return post(record, item).then(function (answer) {
      var late = answer.status === 422 && answer.body && /^captured_at/.test(answer.body.detail || "");
      if (!late || record.without_time) { return answer; }
      record.without_time = true;
      return post(record, item);
    });
  }

  function signedOut(answer) {
    return answer.status === 401 || (answer.status === 403 && answer.body && answer.body.error === "csrf");
  }

  // Send one photo; true to go on with the next, false to stop (no connection, server down,
  // signed out): the photo waits for the next try.
  function sendQueued(record) {
    var item = rows[record.id] || row(record.id, record.name);
    record.state = "sending";
    setState(item, "sending");
    item.li.className = "uploading";
    return save(record).then(function () { return postTimed(record, item); }).then(function (answer) {
      var accepted = (answer.status === 200 || answer.status === 202) && answer.body;
      var refusal = !answer.network && !accepted && !signedOut(answer) &&
        answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429;
      if (accepted || refusal) {
        delete record.bytes; // kept no longer: only the outcome is listed
        record.state = accepted ? "sent" : "refused";
        if (accepted) { record.outcome = {status: answer.status, body: answer.body}; }
        else { record.refusal = {status: answer.status, body: answer.body}; }
        record.settled_at = new Date().toISOString();
        return save(record).then(function () {
          if (accepted) { sent(item, record.outcome); } else { refusedRow(record, item); }
          return true;
        });
      }
      record.state = "waiting";
      var note = answer.network ? t("upload.offline_wait") :
        signedOut(answer) ? t("upload.sign_in_again") : t("upload.server_wait");
      return save(record).then(function () { waitingRow(record, item, note); return false; });
    });
  }

  // Send every waiting photo, oldest first; one run at a time. Automatic runs wait for a
  // connection; the 立即发送 button (`force`) tries anyway.
  function flush(force) {
    if (flushing || (force !== true && navigator.onLine === false)) { return summary(); }
    flushing = true;
    return waiting().then(function (records) {
      return records.reduce(function (previous, record) {
        return previous.then(function (go) { return go ? sendQueued(record) : false; });
      }, Promise.resolve(true));
    }).catch(function () { return null; }).then(function () {
      flushing = false;
      return summary();
    });
  }

  function enqueue(file, form) {
    return file.arrayBuffer().then(function (bytes) {
      return placeOf(bytes, form).then(function (place) {
        var record = {id: newUploadId(), name: file.name, type: file.type, size: file.size,
                      bytes: bytes, queued_at: new Date().toISOString(), state: "waiting",
                      device: form.device, pin: form.pin, pin_crs: form.pin_crs,
                      note: form.note, problem_found: form.problem_found, place: place};
        return save(record).then(function () { show(record); });
      });
    });
  }

  // On start: list what the device holds (forget what settled days ago), then send.
  function restore() {
    return Q.all().catch(function () { return []; }).then(function (records) {
      var old = Date.now() - KEEP_DONE_MS;
      records.forEach(function (record) {
        var settled = record.state === "sent" || record.state === "refused";
        if (settled && Date.parse(record.settled_at) < old) { Q.remove(record.id); return; }
        if (record.state === "sending") { record.state = "waiting"; }
        show(record);
      });
    });
  }

  // --- files over 20 MB: sent at once, resumably (tus), not kept on the device ---

  function failed(item, resolve) {
    item.li.className = "failed";
    item.status.textContent = t("upload.failed");
    var again = document.createElement("button");
    again.type = "button";
    again.textContent = t("upload.retry");
    again.addEventListener("click", function () {
      again.remove();
      sendLarge(item).then(function () {});
    });
    item.li.append(again);
    resolve();
  }

  function largeMetadata(item) {
    var form = item.form;
    var data = {filename: item.file.name, filetype: item.file.type || "application/octet-stream",
                kind: TIFF.test(item.file.name) ? "orthophoto" : "photo", upload_id: item.id,
                problem_found: form.problem_found ? "true" : "false"};
    if (form.device) { data.device_lon = String(form.device.lon); data.device_lat = String(form.device.lat); }
    if (form.pin) {
      data.manual_lon = String(form.pin.lon);
      data.manual_lat = String(form.pin.lat);
      data.pin_crs = form.pin_crs;
    }
    if (form.note) { data.note = form.note; }
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
        if (answer.status === 200 && body.photo) { sent(item, {status: 200, body: body}); }
        else if (answer.status === 200) {
          setState(item, "refused", refused(item, 422, {error: "rejected_file", reason_code: body.reason_code, detail: body.reason}));
        } else { setState(item, "refused", refused(item, answer.status, body)); }
        resolve();
      }, function () { window.setTimeout(function () { outcome(item, uid, resolve); }, 3000); });
  }

  function tusRefused(item, error, resolve) {
    var response = error && error.originalResponse;
    if (!response) { failed(item, resolve); return; }
    var body = null;
    try { body = JSON.parse(response.getBody()); } catch (ignored) { body = null; }
    setState(item, "refused", refused(item, response.getStatus(), body));
    resolve();
  }

  function sendLarge(item) {
    return new Promise(function (resolve) {
      item.li.className = "uploading";
      setState(item, "sending");
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

  function large(file, form) {
    var item = row(newUploadId(), file.name);
    item.file = file;
    item.form = form;
    return sendLarge(item);
  }

  // --- the page ---

  el("upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    el("form-error").hidden = true;
    if (!chosen.length) {
      el("form-error").textContent = t("upload.none_chosen");
      el("form-error").hidden = false;
      return;
    }
    var batch = chosen;
    var form = fields();
    chosen = [];
    showChosen();
    var big = batch.filter(function (f) { return f.size > LARGE && window.tus; });
    var small = batch.filter(function (f) { return big.indexOf(f) < 0; });
    small.reduce(function (previous, file) {
      return previous.then(function () { return enqueue(file, form); });
    }, Promise.resolve()).then(function () { return flush(); }).then(function () {
      return big.reduce(function (previous, file) {
        return previous.then(function () { return large(file, form); });
      }, Promise.resolve());
    });
  });

  el("send-now").addEventListener("click", function () { flush(true); });
  window.addEventListener("online", function () { network(); flush(true); });
  window.addEventListener("offline", network);
  window.setInterval(function () { if (navigator.onLine !== false) { flush(); } }, RETRY_MS);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/upload-sw.js", {scope: "/upload"}).catch(function () { return null; });
  }
  Q.persist();
  network();
  locate();
  startMap();
  restore().then(function () { return flush(); });
}());
