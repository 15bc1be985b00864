// The review page's small map: the site's outline and the evidence's drone footprints.
(function () {
  "use strict";
  var box = document.getElementById("review-map");
  if (!box) { return; }
  var map = L.map(box, {attributionControl: false});
  var basemap = document.body.dataset.basemap;
  if (basemap) { L.tileLayer(basemap, {maxZoom: 20}).addTo(map); }
  var sites = L.geoJSON(JSON.parse(box.dataset.sites), {
    style: {color: "#c1121f", weight: 3, fillOpacity: 0.1},
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, {radius: 8, color: "#c1121f"}); }
  }).addTo(map);
  var photos = JSON.parse(box.dataset.photos);
  var footprints = L.geoJSON(null, {style: {color: "#0077b6", weight: 1, fillOpacity: 0.1}}).addTo(map);
  photos.forEach(function (p) {
    if (p.footprint) { footprints.addData(p.footprint); }
    if (p.kind === "orthophoto") {
      L.tileLayer("/api/photos/" + p.id + "/tiles/{z}/{x}/{y}.png", {maxZoom: 22, opacity: 0.9}).addTo(map);
    }
    if (p.lon != null) { L.circleMarker([p.lat, p.lon], {radius: 4, color: "#0077b6"}).addTo(map); }
  });
  var bounds = sites.getBounds();
  if (footprints.getLayers().length) { bounds = bounds.extend(footprints.getBounds()); }
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.3)); } else { map.setView([28.7, 121.4], 12); }
}());
