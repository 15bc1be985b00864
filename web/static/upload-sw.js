// The upload page's service worker: keeps the app shell (the page, its scripts, styles and
// Leaflet) so the page opens with no signal after one visit. The page itself is fetched
// fresh when the network answers (its cached copy replaced), else the cached copy; the
// static files are answered from the cache and refreshed behind. Uploads and other API calls
// are never touched: the page queues photos itself (IndexedDB) and sends them when online.
"use strict";

// The server writes the static files' digest here: new files, a new worker, a new cache.
var CACHE = "lookback-upload-shell-@VERSION@";
var PAGE = "/upload";
var SHELL = [
  PAGE,
  "/static/app/app.css",
  "/static/app/upload.css",
  "/static/app/upload.js",
  "/static/app/upload-queue.js",
  "/static/app/basemap.js",
  "/static/app/favicon.svg",
  "/static/app/bell.css",
  "/static/app/jobs-panel.css",
  "/static/app/jobs-panel.js",
  "/static/leaflet/leaflet.css",
  "/static/leaflet/leaflet.js",
  "/static/tus/tus.min.js",
  "/manifest.webmanifest",
  "/pwa-icon-192.png"
];
var PAGE_TIMEOUT_MS = 6000; // a weak signal: the cached page rather than a long wait

function keep(cache, url, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    return cache.put(url, response).then(function () { return true; });
  }
  return Promise.resolve(false);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, {credentials: "same-origin", cache: "no-cache"})
        .then(function (response) { return keep(cache, url, response); })
        .catch(function () { return false; });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("lookback-upload-shell-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

// The page: the network's answer (kept for next time), else the kept copy.
function page(request) {
  return caches.open(CACHE).then(function (cache) {
    var fresh = fetch(request).then(function (response) {
      return keep(cache, PAGE, response.clone()).then(function () { return response; });
    });
    return withTimeout(fresh, PAGE_TIMEOUT_MS).catch(function (error) {
      return cache.match(PAGE).then(function (kept) {
        if (kept) { return kept; }
        throw error;
      });
    });
  });
}

// A static file: the kept copy at once (refreshed behind), else the network's answer.
function shellFile(request, event) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        return keep(cache, request, response.clone()).then(function () { return response; });
      });
      if (kept) {
        event.waitUntil(fresh.catch(function () { return null; }));
        return kept;
      }
      return fresh;
    });
  });
}

function isShellFile(url) {
  return url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest" ||
    url.pathname.indexOf("/pwa-icon-") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(page(request));
  } else if (isShellFile(url)) {
    event.respondWith(shellFile(request, event));
  }
});
