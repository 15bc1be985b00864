// The round page's swipe (卷帘对比): one map with the earlier orthophotos below and this
// round's above, the upper ones clipped at the slider; change polygons outlined on top.
// Our own small control (Leaflet's panes and a CSS clip), no plugin, no CDN.
(function () {
  "use strict";

  var box = document.getElementById("swipe-map");
  var slider = document.getElementById("swipe");
  var island = document.getElementById("change-data");
  if (!box || !slider || !island) { return; }
  var data = JSON.parse(island.textContent);

  function tiles(ids) {
    return ids.map(function (id) {
      return L.tileLayer("/api/photos/" + Number(id) + "/tiles/{z}/{x}/{y}.png", {maxZoom: 22});
    });
  }

  var map = L.map(box);
  var polygons = L.geoJSON(data.changes, {
    style: {color: "#d00000", weight: 2, dashArray: "4 3", fill: false}
  });
  // The view: the site (the round page's maps carry its outline), else the polygons.
  var siteBox = document.getElementById("review-map");
  var bounds = siteBox ? L.geoJSON(JSON.parse(siteBox.dataset.sites)).getBounds() : null;
  if (!bounds || !bounds.isValid()) { bounds = polygons.getBounds(); }
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.1), {maxZoom: 20}); } else { map.setView([28.7, 121.4], 12); }
  // The page's configured basemap under both rounds (web/static/basemap.js), with its credit.
  if (window.LookbackBasemaps) { window.LookbackBasemaps.attach(map, {switcher: false}); }
  tiles(data.before).forEach(function (layer) { layer.addTo(map); });
  var upper = tiles(data.after);
  upper.forEach(function (layer) { layer.addTo(map); });
  polygons.addTo(map);

  // This round's tiles show left of the slider, the earlier ones right of it.
  function clip() {
    var nw = map.containerPointToLayerPoint([0, 0]);
    var se = map.containerPointToLayerPoint(map.getSize());
    var x = nw.x + (se.x - nw.x) * Number(slider.value) / 100;
    var rect = "rect(" + [nw.y, x, se.y, nw.x].join("px, ") + "px)";
    upper.forEach(function (layer) {
      var pane = layer.getContainer();
      if (pane) { pane.style.clip = rect; }
    });
    box.dataset.swipe = slider.value;
  }
  map.on("move zoomend resize", clip);
  upper.forEach(function (layer) { layer.on("load tileload", clip); });
  slider.addEventListener("input", clip);
  clip();
}());
