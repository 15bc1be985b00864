// The upload page's queue of photos, in IndexedDB (plain API): each photo with its bytes,
// the device position, the pin, the time it was queued, the note, "problem found" and its
// upload id, and its state: waiting, sending, sent or refused. It outlives the page and the
// browser; sent and refused photos keep only their outcome (the bytes are dropped).
(function () {
  "use strict";
  var NAME = "lookback-upload";
  var STORE = "photos";
  var opened = null;

  function ask(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (!opened) {
      var request = window.indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "id"});
      };
      opened = ask(request);
    }
    return opened;
  }

  function store(mode) {
    return open().then(function (db) {
      return db.transaction(STORE, mode).objectStore(STORE);
    });
  }

  // Every queued photo, oldest first.
  function all() {
    return store("readonly").then(function (s) { return ask(s.getAll()); })
      .then(function (records) {
        return records.sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
      });
  }

  // Write a record (whole); resolves when it is committed.
  function put(record) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, "readwrite");
        tx.objectStore(STORE).put(record);
        tx.oncomplete = function () { resolve(record); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function remove(id) {
    return store("readwrite").then(function (s) { return ask(s.delete(id)); });
  }

  // Ask the browser to keep the queue when storage runs short (best effort).
  function persist() {
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().catch(function () { return false; });
    }
  }

  window.UploadQueue = {all: all, put: put, remove: remove, persist: persist};
}());
