// The upload page's service worker: keeps the app shell (the page, its scripts, styles and
// Leaflet) so the page opens with no signal after one visit. The page itself is fetched
// fresh when the network answers (its cached copy replaced), else the cached copy; the
// static files are answered from the cache and refreshed behind. Uploads and other API calls
// are never touched: the page queues photos itself (IndexedDB) and sends them when online.
// The page also hands it the basemap tiles over a grid officer's cells: kept in a cache of
// their own up to the page's byte budget (the oldest dropped first), and answered from it.
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
  "/static/app/upload-area.js",
  "/static/app/gcj02.js",
  "/static/exifr/mini.umd.js",
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
var TILES = "lookback-upload-tiles";
var TILE_INDEX = "/__lookback-tiles-index"; // [{url, bytes}], oldest first
var OPAQUE_TILE_BYTES = 20 * 1024; // a tile server without CORS hides a tile's size

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

// --- basemap tiles over the officer's cells ------------------------------------------------

function tileIndex(cache) {
  return cache.match(TILE_INDEX).then(function (r) { return r ? r.json() : []; });
}

function saveIndex(cache, index) {
  return cache.put(TILE_INDEX, new Response(JSON.stringify(index),
                                            {headers: {"Content-Type": "application/json"}}));
}

// One tile and its size: read through CORS when the server allows it, else opaque.
function fetchTile(url) {
  var options = {credentials: "omit", referrerPolicy: "origin", cache: "no-cache"};
  return fetch(url, Object.assign({mode: "cors"}, options)).then(function (response) {
    if (!response.ok) { throw new Error("tile " + response.status); }
    return response.blob().then(function (blob) {
      return {response: new Response(blob, {headers: {"Content-Type": blob.type || "image/png"}}),
              bytes: blob.size};
    });
  }).catch(function () {
    return fetch(url, Object.assign({mode: "no-cors"}, options)).then(function (response) {
      return {response: response, bytes: OPAQUE_TILE_BYTES};
    });
  });
}

function evict(cache, index, budget) {
  var total = index.reduce(function (sum, e) { return sum + e.bytes; }, 0);
  var dropped = [];
  while (index.length && total > budget) {
    var oldest = index.shift();
    total -= oldest.bytes;
    dropped.push(cache.delete(oldest.url));
  }
  return Promise.all(dropped);
}

// Keep `urls` in order (each kept one becomes the newest), dropping the oldest past `budget`.
function keepTiles(urls, budget) {
  return caches.open(TILES).then(function (cache) {
    return tileIndex(cache).then(function (index) {
      return urls.reduce(function (previous, url) {
        return previous.then(function () {
          var at = index.findIndex(function (e) { return e.url === url; });
          if (at >= 0) { index.push(index.splice(at, 1)[0]); return null; }
          return fetchTile(url).then(function (tile) {
            return cache.put(url, tile.response).then(function () {
              index.push({url: url, bytes: tile.bytes});
              return evict(cache, index, budget);
            });
          }, function () { return null; }); // not reached now: tried again next visit
        });
      }, Promise.resolve()).then(function () {
        return evict(cache, index, budget);
      }).then(function () { return saveIndex(cache, index); });
    });
  });
}

var tileWork = Promise.resolve();

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-tiles" && Array.isArray(data.urls) && data.budget > 0) {
    tileWork = tileWork.then(function () { return keepTiles(data.urls, data.budget); })
      .catch(function () { return null; });
    event.waitUntil(tileWork);
  }
});

// A basemap tile: the kept copy, else the network's.
function tile(request) {
  return caches.open(TILES).then(function (cache) { return cache.match(request.url); })
    .then(function (kept) { return kept || fetch(request); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    if (request.destination === "image") { event.respondWith(tile(request)); }
    return;
  }
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(page(request));
  } else if (isShellFile(url)) {
    event.respondWith(shellFile(request, event));
  }
});
