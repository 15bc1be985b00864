// The look-back map: sites with flags, grid cells, photos and drone footprints, loaded from
// /api/map by viewport (counted per grid square by the server when a view holds many).
// Its configuration comes from the page's JSON data island (#map-config). With no basemap
// the town and district boundaries (dissolved from the grid cells) give it its places.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var map = L.map("map", {center: config.centre, zoom: config.zoom});
  L.control.scale().addTo(map);
  // Panes under the overlays (400): boundaries (350), then the town names (390).
  map.createPane("lb-context");
  map.createPane("lb-labels");
  var M = config.messages;
  var COLORS = config.colours.flags;  // inspections/palette.py, as the reports use them
  var NONE = config.colours.none;
  var INDUSTRY = {pharma_chemical: "#6a4c93", dyeing: "#1982c4", eyewear: "#8ac926",
    textile: "#ffca3a", ship_repair: "#4361ee", sand_gravel: "#a0522d"};
  var GRID_ZOOM = 13, LABEL_ZOOM = 15, PHOTO_ZOOM = 14, FOOTPRINT_ZOOM = 16;
  var pending = {};

  function t(key, values) {
    var text = M[key] || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function get(name, path) {
    if (pending[name]) { pending[name].abort(); }
    var control = new AbortController();
    pending[name] = control;
    return fetch(path, {credentials: "same-origin", signal: control.signal})
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  function bboxParam() {
    var b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(6);
    }).join(",");
  }

  // Elements are built with the DOM (no markup strings, no style attributes: the CSP).
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = String(text); }
    return node;
  }

  function clusterMarker(feature, latlng) {
    var n = Number(feature.properties.count);
    var size = Math.min(56, 22 + Math.round(Math.log(n + 1) * 6));
    var html = element("div", "lb-cluster", n);
    html.style.width = html.style.height = size + "px";
    return L.marker(latlng, {icon: L.divIcon({className: "", iconSize: [size, size],
      html: html})});
  }

  // --- basemaps: the one configuration of every map page (basemap.js); the choice goes
  // into this page's layer control with the overlays.
  var bases = window.LookbackBasemaps.attach(map, {switcher: false});

  // --- the district's and towns' boundaries, with the towns' names, at every zoom ----------
  var boundaries = L.geoJSON(null, {pane: "lb-context", interactive: false,
    style: function (f) {
      return f.properties.kind === "district"
        ? {color: "#34495e", weight: 3, fill: false, className: "lb-district"}
        : {color: "#5d6d7e", weight: 1.5, dashArray: "6 4", fill: false, className: "lb-town"};
    }});
  var townLabels = L.layerGroup();
  var context = L.layerGroup([boundaries, townLabels]).addTo(map);

  function loadBoundaries() {
    get("boundaries", "/api/map/boundaries").then(function (data) {
      if (!data) { return; }
      boundaries.addData(data);
      data.features.forEach(function (f) {
        if (f.properties.kind !== "town") { return; }
        var at = f.properties.label;
        L.tooltip({permanent: true, direction: "center", className: "lb-town-label",
          pane: "lb-labels", interactive: false})
          .setLatLng([at[1], at[0]]).setContent(element("span", "", f.properties.name))
          .addTo(townLabels);
      });
      document.body.dataset.boundariesLoaded = String(data.features.length);
    });
  }

  // --- sites ---------------------------------------------------------------------------
  var sites = L.geoJSON(null, {
    style: function (f) {
      var color = COLORS[f.properties.flag] || NONE;
      return {color: color, weight: f.properties.flag ? 3 : 1.5, fillOpacity: 0.25,
        className: "site flag-" + (f.properties.flag || "none")};
    },
    pointToLayer: function (f, latlng) {
      if (f.properties.cluster) { return clusterMarker(f, latlng); }
      // The flag rings the marker; an enterprise is filled with its industry's colour.
      var fill = INDUSTRY[f.properties.industry] || COLORS[f.properties.flag] || NONE;
      var ring = COLORS[f.properties.flag] || fill;
      return L.circleMarker(latlng, {radius: f.properties.flag ? 8 : 5, color: ring,
        fillColor: fill, fillOpacity: 0.8, weight: f.properties.flag ? 3 : 1,
        className: "site flag-" + (f.properties.flag || "none")});
    },
    onEachFeature: function (f, layer) {
      if (f.properties.cluster) {
        layer.on("click", function () { map.setView(layer.getLatLng(), map.getZoom() + 2); });
        return;
      }
      layer.bindTooltip(element("span", "", f.properties.name));
      layer.on("click", function () { openSite(f.properties.code, layer); });
    }
  }).addTo(map);

  function filters() {
    var params = [];
    ["town", "industry", "source", "flag"].forEach(function (name) {
      var value = document.getElementById("filter-" + name).value;
      if (value) { params.push(name + "=" + encodeURIComponent(value)); }
    });
    return params.length ? "&" + params.join("&") : "";
  }

  function loadSites() {
    get("sites", "/api/map/sites?bbox=" + bboxParam() + "&zoom=" + map.getZoom() + filters()).then(function (data) {
      if (!data) { return; }
      sites.clearLayers();
      sites.addData(data);
      document.body.dataset.sitesLoaded = String(data.features.length);
    });
  }

  // --- a site's popup --------------------------------------------------------------------
  function link(href, text) {
    var a = element("a", "", text);
    a.href = href;
    return a;
  }

  function list(items, render) {
    if (!items.length) { return element("p", "", t("map.popup.none")); }
    var ul = element("ul");
    items.forEach(function (x) { var li = element("li"); li.append.apply(li, render(x)); ul.append(li); });
    return ul;
  }

  function photoLink(thumbnail) {
    var a = link(thumbnail + "?size=1024"), img = element("img");
    a.target = "_blank";
    img.alt = "";
    img.src = thumbnail;
    a.append(img);
    return a;
  }

  function popupContent(d) {
    var box = element("div", "lb-popup");
    box.append(element("h3", "", d.site.name), element("div", "", d.site.code + " · " +
      t("kind." + d.site.kind) + (d.site.town ? " · " + d.site.town : "")));
    var flags = d.flags.map(function (f) { return t("siteflag." + f); }).join("、");
    if (flags) { var p = element("p"); p.append(element("b", "", flags)); box.append(p); }
    box.append(element("b", "", t("map.popup.cases")), list(d.cases, function (c) {
      return [link("/cases/" + encodeURIComponent(c.reference), c.reference),
        " " + c.title + " · " + t("state." + c.state)];
    }));
    box.append(element("b", "", t("map.popup.rounds")), list(d.rounds, function (r) {
      var label = r.case + " " + t("map.popup.round", {number: r.number}) + " · " +
        t("round." + (r.flag || r.state));
      var open = r.flag === "due" || r.flag === "awaiting_review" || r.flag === "overdue";
      return open ? [label, " ", link("/review/" + Number(r.id), t("map.popup.review"))] : [label];
    }));
    var photos = element("div");
    d.photos.forEach(function (p) { photos.append(photoLink(p.thumbnail)); });
    if (!d.photos.length) { photos.textContent = t("map.popup.none"); }
    box.append(element("b", "", t("map.popup.photos")), photos);
    if (config.mayIssue) {
      var issue = link("/tickets/new?site=" + encodeURIComponent(d.site.code), t("map.popup.issue"));
      issue.className = "button lb-issue";
      var row = element("p");
      row.append(issue);
      box.append(row);
    }
    return box;
  }

  // `at` is a layer of the sites layer or a point (a search result).
  function openSite(code, at) {
    get("site", "/api/map/sites/" + encodeURIComponent(code)).then(function (d) {
      if (!d) { return; }
      if (at.getLatLng) { at = at.getLatLng(); } else if (at.getBounds) { at = at.getBounds().getCenter(); }
      L.popup({maxWidth: 320}).setLatLng(at).setContent(popupContent(d)).openOn(map);
    });
  }

  // --- grid cells, photos, footprints ------------------------------------------------------
  var grid = L.geoJSON(null, {style: {color: "#1f5f4a", weight: 1, fill: false},
    interactive: false}).addTo(map);
  var photos = L.geoJSON(null, {
    pointToLayer: function (f, latlng) {
      if (f.properties.cluster) { return clusterMarker(f, latlng); }
      return L.circleMarker(latlng, {radius: 4, color: "#0077b6", weight: 1, fillOpacity: 0.9,
        className: "photo"});
    },
    onEachFeature: function (f, layer) {
      if (!f.properties.cluster) {
        var img = element("img");
        img.alt = "";
        img.width = 256;
        img.src = f.properties.thumbnail;
        layer.bindPopup(img);
      }
    }
  });
  var footprints = L.geoJSON(null, {style: {color: "#0077b6", weight: 1, fillOpacity: 0.08}});
  var casePoints = L.geoJSON(null, {
    pointToLayer: function (f, latlng) {
      var color = COLORS[f.properties.flag] || NONE;
      return L.circleMarker(latlng, {radius: 6, color: "#222", weight: 2, fillColor: color,
        fillOpacity: 0.9, className: "case flag-" + (f.properties.flag || "none")});
    },
    onEachFeature: function (f, layer) {
      var box = element("div", "lb-popup");
      box.append(link("/cases/" + encodeURIComponent(f.properties.reference), f.properties.reference),
        " " + f.properties.title + " · " + t("state." + f.properties.state));
      layer.bindPopup(box);
    }
  }).addTo(map);
  var orthophotos = L.layerGroup().addTo(map);
  var ORTHO_ZOOM = 14;

  function loadGrid() {
    grid.clearLayers();
    if (map.getZoom() < GRID_ZOOM) { return; }
    get("grid", "/api/layers/grid-cells?bbox=" + bboxParam()).then(function (data) {
      if (!data) { return; }
      grid.addData(data);
      if (map.getZoom() >= LABEL_ZOOM) {
        grid.eachLayer(function (layer) {
          layer.bindTooltip(element("span", "", layer.feature.properties.name), {permanent: true,
            direction: "center", className: "lb-grid-label"});
        });
      }
    });
  }

  // The flag filter applies to the patrol cases too.
  function loadCases() {
    var flag = document.getElementById("filter-flag").value;
    var only = flag ? "&flag=" + encodeURIComponent(flag) : "";
    get("cases", "/api/map/cases?bbox=" + bboxParam() + only).then(function (d) {
      casePoints.clearLayers();
      if (d) { casePoints.addData(d); }
      document.body.dataset.casesLoaded = String(d ? d.features.length : 0);
    });
  }

  function loadOrthophotos() {
    orthophotos.clearLayers();
    if (!map.hasLayer(orthophotos) || map.getZoom() < ORTHO_ZOOM) { return; }
    get("orthophotos", "/api/map/orthophotos?bbox=" + bboxParam()).then(function (found) {
      (found || []).forEach(function (o) {
        var b = o.bounds;
        L.tileLayer(o.tiles, {maxZoom: 22, bounds: [[b[1], b[0]], [b[3], b[2]]]}).addTo(orthophotos);
      });
    });
  }

  // Photos and footprints show from a street-level zoom; a layer turned on before then says so.
  function zoomHint() {
    var hidden = [];
    if (map.hasLayer(photos) && map.getZoom() < PHOTO_ZOOM) { hidden.push(t("map.layer.photos")); }
    if (map.hasLayer(footprints) && map.getZoom() < FOOTPRINT_ZOOM) {
      hidden.push(t("map.layer.footprints"));
    }
    var hint = document.getElementById("lb-hint");
    hint.textContent = hidden.length ? t("map.hint.zoom", {layers: hidden.join("、")}) : "";
    hint.hidden = !hidden.length;
  }

  function loadPhotos() {
    zoomHint();
    photos.clearLayers();
    footprints.clearLayers();
    if (map.hasLayer(photos) && map.getZoom() >= PHOTO_ZOOM) {
      get("photos", "/api/map/photos?bbox=" + bboxParam()).then(function (d) {
        if (d) { photos.addData(d); }
      });
    }
    if (map.hasLayer(footprints) && map.getZoom() >= FOOTPRINT_ZOOM) {
      get("footprints", "/api/map/footprints?bbox=" + bboxParam()).then(function (d) {
        if (d) { footprints.addData(d); }
      });
    }
  }

  var overlays = {};
  overlays[t("map.layer.sites")] = sites;
  overlays[t("map.layer.grid")] = grid;
  overlays[t("map.layer.photos")] = photos;
  overlays[t("map.layer.footprints")] = footprints;
  overlays[t("map.layer.orthophotos")] = orthophotos;
  overlays[t("map.layer.cases")] = casePoints;
  overlays[t("map.layer.boundaries")] = context;

  // --- a grid officer's own cells, outlined at every zoom ---------------------------------
  var mine = L.geoJSON(null, {interactive: false, style: {color: "#d35400", weight: 3,
    fillOpacity: 0.06, className: "lb-mine"}});

  function loadMine() {
    var b = L.latLngBounds(config.bounds).pad(0.1);
    var box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(6);
    }).join(",");
    get("mine", "/api/layers/grid-cells?mine=true&bbox=" + box).then(function (data) {
      if (!data) { return; }
      mine.addData(data);
      document.body.dataset.ownCells = String(data.features.length);
    });
  }

  if (config.ownCells && config.bounds) {
    mine.addTo(map);
    overlays[t("map.layer.mine")] = mine;
    loadMine();
  }
  var baseChoice = Object.keys(bases).length > 1 ? bases : null;
  L.control.layers(baseChoice, overlays, {collapsed: true, position: "bottomright"}).addTo(map);

  // --- going somewhere: Leaflet drops a setView asked for while a zoom animates (the first
  // fit of the view, a wheel turn, a double tap), so a move waits for that animation to end;
  // `arrived` is called once the map is there, not as it sets off.
  var zooming = false;
  map.on("zoomanim", function () { zooming = true; });
  map.on("zoomend", function () { zooming = false; });

  function goTo(at, zoom, arrived) {
    if (zooming) {  // after the animation's own moveend, not inside it
      map.once("zoomend", function () { setTimeout(function () { goTo(at, zoom, arrived); }, 0); });
      return;
    }
    map.once("moveend", arrived);
    map.setView(at, zoom);
  }

  // --- locate me: the device position with its accuracy circle ----------------------------
  var here = L.layerGroup().addTo(map);
  var locateHint = document.getElementById("lb-locate-hint");

  function displayed(lat, lon) {  // the device measures WGS 84; a GCJ-02 basemap is shifted
    if (config.crs !== "gcj02") { return L.latLng(lat, lon); }
    var shifted = window.lookbackGcj02.fromWgs84(lon, lat);
    return L.latLng(shifted[1], shifted[0]);
  }

  function located(position) {
    var c = position.coords, at = displayed(c.latitude, c.longitude);
    locateHint.hidden = true;
    here.clearLayers();
    L.circle(at, {radius: c.accuracy, color: "#1a73e8", weight: 1, fillOpacity: 0.12,
      interactive: false, className: "lb-accuracy"}).addTo(here);
    L.circleMarker(at, {radius: 7, color: "#fff", weight: 2, fillColor: "#1a73e8",
      fillOpacity: 1, className: "lb-here"})
      .bindTooltip(element("span", "", t("map.locate.accuracy", {metres: Math.round(c.accuracy)})))
      .addTo(here);
    delete document.body.dataset.located;
    goTo(at, Math.max(map.getZoom(), 16), function () {  // marked once the map has arrived
      document.body.dataset.located = at.lat.toFixed(6) + "," + at.lng.toFixed(6);
    });
  }

  function notLocated() {
    locateHint.textContent = t("map.locate.failed");
    locateHint.hidden = false;
  }

  function locate() {
    if (!navigator.geolocation) { notLocated(); return; }
    navigator.geolocation.getCurrentPosition(located, notLocated,
      {enableHighAccuracy: true, timeout: 20000, maximumAge: 30000});
  }

  var Locate = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var bar = element("div", "leaflet-bar lb-locate");
      var button = element("button", "lb-locate-button", "◎");
      button.type = "button";
      button.title = t("map.locate");
      button.setAttribute("aria-label", t("map.locate"));
      button.addEventListener("click", locate);
      bar.append(button);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });
  new Locate().addTo(map);

  // --- legend, filters, search -------------------------------------------------------------
  // The legend folds (a summary to tap); open from the start only on a wide screen.
  document.getElementById("lb-legend").open = !window.matchMedia("(max-width: 600px)").matches;
  var legend = document.getElementById("lb-legend-body");
  function legendRow(colour, label) {
    var row = element("div"), swatch = element("i");
    swatch.style.background = colour;
    row.append(swatch, label);
    legend.append(row);
  }
  config.flags.forEach(function (f) { legendRow(COLORS[f], t("siteflag." + f)); });
  legendRow(NONE, t("map.no_flag"));
  legend.append(element("b", "", t("map.industry")));
  Object.keys(INDUSTRY).forEach(function (k) { legendRow(INDUSTRY[k], t("industry." + k)); });

  ["town", "industry", "source", "flag"].forEach(function (name) {
    var select = document.getElementById("filter-" + name);
    if (config.preset[name]) { document.getElementById("filters").open = true; }
    select.addEventListener("change", function () { loadSites(); loadCases(); });
  });

  // The popup opens at the found point once the view has settled; it does not wait for the
  // sites layer, which reloads after the move.
  function flyTo(s) {
    goTo([s.lat, s.lon], 16, function () { openSite(s.code, L.latLng(s.lat, s.lon)); });
  }

  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      results.innerHTML = "";
      var q = search.value.trim();
      if (!q) { return; }
      get("search", "/api/map/search?q=" + encodeURIComponent(q)).then(function (found) {
        (found || []).forEach(function (s) {
          var li = document.createElement("li");
          li.textContent = s.name + " (" + s.code + ")";
          li.addEventListener("click", function () {
            results.innerHTML = "";
            flyTo(s);
          });
          results.append(li);
        });
      });
    }, 250);
  });

  function reload() { loadSites(); loadGrid(); loadPhotos(); loadCases(); loadOrthophotos(); }
  map.on("moveend", reload);
  map.on("overlayadd", function () { loadPhotos(); loadOrthophotos(); });
  map.on("overlayremove", zoomHint);
  loadBoundaries();
  if (config.bounds) { map.fitBounds(config.bounds); } else { reload(); }
  if (config.focus) {  // a site named by the link (from a case's page): fly to it and open it
    get("search", "/api/map/search?q=" + encodeURIComponent(config.focus)).then(function (found) {
      var site = (found || []).filter(function (s) { return s.code === config.focus; })[0];
      if (site) { flyTo(site); }
    });
  }
  window.lookback = {map: map, reload: reload, sites: sites, boundaries: boundaries};
}());
