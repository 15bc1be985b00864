// The upload page's look-ups with no signal, from the cells and sites the page carries
// (#offline-area, kept with the page by the service worker): whether a place lies in the
// officer's own grid, and the nearest site within the georeferencing radius. And the
// basemap tiles over the officer's cells, handed to the service worker to keep (up to the
// page's byte budget; the worker drops the oldest past it).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("offline-area").textContent) || {};
  var area = data.area || null;
  var EARTH_M = 6371008.8;
  var TILE_ESTIMATE = 20 * 1024; // bytes a tile is planned at (the worker counts real ones)
  var TILE_MAX_ZOOM = 18;

  function polygons(geometry) {
    if (geometry.type === "Polygon") { return [geometry.coordinates]; }
    if (geometry.type === "MultiPolygon") { return geometry.coordinates; }
    return [];
  }

  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }

  function contains(geometry, x, y) {
    return polygons(geometry).some(function (rings) {
      return inRing(x, y, rings[0]) && !rings.slice(1).some(function (hole) { return inRing(x, y, hole); });
    });
  }

  // Metres on a plane tangent at (x0, y0): fine within a few kilometres.
  function flat(point, x0, y0) {
    var k = Math.PI / 180 * EARTH_M;
    return [(point[0] - x0) * k * Math.cos(y0 * Math.PI / 180), (point[1] - y0) * k];
  }

  function toSegment(p, a, b) {
    var dx = b[0] - a[0], dy = b[1] - a[1];
    var along = dx || dy ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy) : 0;
    along = Math.max(0, Math.min(1, along));
    return Math.hypot(p[0] - a[0] - along * dx, p[1] - a[1] - along * dy);
  }

  function lines(geometry) {
    var c = geometry.coordinates;
    switch (geometry.type) {
      case "Point": return [[c]];
      case "MultiPoint": return c.map(function (p) { return [p]; });
      case "LineString": return [c];
      case "MultiLineString": return c;
      default: return polygons(geometry).reduce(function (all, rings) { return all.concat(rings); }, []);
    }
  }

  // Metres from (x, y) to a geometry; 0 inside a polygon.
  function distance(geometry, x, y) {
    if (contains(geometry, x, y)) { return 0; }
    var best = Infinity;
    lines(geometry).forEach(function (line) {
      var pts = line.map(function (p) { return flat(p, x, y); });
      if (pts.length === 1) { best = Math.min(best, Math.hypot(pts[0][0], pts[0][1])); }
      for (var i = 1; i < pts.length; i++) { best = Math.min(best, toSegment([0, 0], pts[i - 1], pts[i])); }
    });
    return best;
  }

  // {cell: the officer's cell holding the place (its properties) or null, site: the nearest
  // site within the radius {code, name, distance} or null}; null with nothing carried.
  function lookup(lon, lat) {
    if (!area) { return null; }
    var cell = null;
    area.cells.features.forEach(function (f) { if (!cell && contains(f.geometry, lon, lat)) { cell = f.properties; } });
    var site = null;
    area.sites.features.forEach(function (f) {
      var d = distance(f.geometry, lon, lat);
      if (d <= area.radius_m && (!site || d < site.distance)) {
        site = {code: f.properties.code, name: f.properties.name, distance: d};
      }
    });
    return {cell: cell, site: site};
  }

  function tileX(lon, z) { return Math.floor((lon + 180) / 360 * Math.pow(2, z)); }

  function tileY(lat, z) {
    var r = lat * Math.PI / 180;
    return Math.floor((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2 * Math.pow(2, z));
  }

  function tileUrl(layer, x, y, z) {
    var subdomains = layer.subdomains || "abc";
    return L.Util.template(layer.url, {s: subdomains[Math.abs(x + y) % subdomains.length],
                                       x: x, y: y, z: z, r: ""});
  }

  // The tiles of the first basemap (its map and annotation layers) over the officer's cells,
  // from `fromZoom` down to street level while the plan fits the budget; most detailed first,
  // so the overview (the start view) is kept newest and dropped last.
  function tilePlan(bounds, fromZoom, layers, budget) {
    var planned = [];
    var top = Math.min.apply(null, layers.map(function (l) { return l.maxZoom || TILE_MAX_ZOOM; }).concat([TILE_MAX_ZOOM]));
    for (var z = Math.max(0, fromZoom); z <= top; z++) {
      var x0 = tileX(bounds.getWest(), z), x1 = tileX(bounds.getEast(), z);
      var y0 = tileY(bounds.getNorth(), z), y1 = tileY(bounds.getSouth(), z);
      var level = [];
      for (var x = x0; x <= x1; x++) {
        for (var y = y0; y <= y1; y++) {
          layers.forEach(function (layer) { level.push(tileUrl(layer, x, y, z)); });
        }
      }
      if ((planned.length + level.length) * TILE_ESTIMATE > budget) { break; }
      planned = planned.concat(level);
    }
    return planned.reverse();
  }

  // Ask the service worker to keep the tiles over the officer's cells (online, once it runs).
  function keepTiles(map) {
    var configured = window.LookbackBasemaps.configured;
    if (!area || !configured.length || !data.tileBytes || !("serviceWorker" in navigator)) { return; }
    var cells = L.geoJSON(area.cells).getBounds();
    if (!cells.isValid()) { return; }
    var urls = tilePlan(cells, map.getBoundsZoom(cells), configured[0].layers, data.tileBytes);
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active && navigator.onLine !== false) {
        registration.active.postMessage({type: "keep-tiles", urls: urls, budget: data.tileBytes});
      }
    });
  }

  window.UploadArea = {area: area, lookup: lookup, keepTiles: keepTiles};
}());
