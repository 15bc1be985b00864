// The review page's two maps, moved together: this round's evidence beside the previous
// round's, each with the site's outline, drone footprints and orthophotos as tiles.
(function () {
  "use strict";

  // The change polygons (JSON island of the round page), outlined on both maps; a click
  // scrolls to the polygon's card.
  var island = document.getElementById("change-data");
  var compared = island ? JSON.parse(island.textContent) : null;
  var changes = compared ? compared.changes : null;
  // The compared orthophotos under each map: the later ones on this round's, the earlier
  // ones on the previous round's.
  var compareIds = {"review-map": compared ? compared.after : [],
                    "previous-map": compared ? compared.before : []};

  function changeLayer() {
    return L.geoJSON(changes, {
      style: function (f) {
        return {color: f.properties.state === "dismissed" ? "#6c757d" : "#d00000",
                weight: 2, dashArray: "4 3", fillOpacity: 0.15};
      },
      onEachFeature: function (f, layer) {
        layer.on("click", function () {
          var card = document.getElementById("change-" + Number(f.properties.id));
          if (card) { card.scrollIntoView({behavior: "smooth", block: "center"}); }
        });
      }
    });
  }

  // The layers are made first and added once the map has a view (Leaflet cannot draw
  // vectors on a map that has none yet).
  function build(box) {
    var map = L.map(box);
    var sites = L.geoJSON(JSON.parse(box.dataset.sites), {
      style: {color: "#c1121f", weight: 3, fillOpacity: 0.1},
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 8, color: "#c1121f"}); }
    });
    var footprints = L.geoJSON(null, {style: {color: "#0077b6", weight: 1, fillOpacity: 0.1}});
    var points = L.layerGroup(), tiles = [];
    JSON.parse(box.dataset.photos).forEach(function (p) {
      if (p.footprint) { footprints.addData(p.footprint); }
      if (p.kind === "orthophoto") {
        tiles.push(L.tileLayer("/api/photos/" + Number(p.id) + "/tiles/{z}/{x}/{y}.png",
          {maxZoom: 22, opacity: 0.9}));
      }
      if (p.lon != null) { points.addLayer(L.circleMarker([p.lat, p.lon], {radius: 4, color: "#0077b6"})); }
    });
    (compareIds[box.id] || []).forEach(function (id) {
      tiles.push(L.tileLayer("/api/photos/" + Number(id) + "/tiles/{z}/{x}/{y}.png",
        {maxZoom: 22, opacity: 0.9}));
    });
    var bounds = sites.getBounds();
    if (footprints.getLayers().length) { bounds = bounds.extend(footprints.getBounds()); }
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.3)); } else { map.setView([28.7, 121.4], 12); }
    window.LookbackBasemaps.attach(map);
    tiles.forEach(function (layer) { layer.addTo(map); });
    [sites, footprints, points].forEach(function (layer) { layer.addTo(map); });
    if (changes && changes.features.length) { changeLayer().addTo(map); }
    return map;
  }

  var boxes = [document.getElementById("review-map"), document.getElementById("previous-map")];
  var maps = boxes.filter(Boolean).map(build);
  if (maps.length === 2) {
    var moving = false;
    maps.forEach(function (map, i) {
      var other = maps[1 - i];
      map.on("move", function () {
        if (moving) { return; }
        moving = true;
        other.setView(map.getCenter(), map.getZoom(), {animate: false});
        moving = false;
      });
    });
    maps[1].setView(maps[0].getCenter(), maps[0].getZoom(), {animate: false});
  }
}());
