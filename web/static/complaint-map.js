// The complaint form's map: a tap pins the place and fills the longitude and latitude
// fields; typed coordinates move the pin; "clear" empties both.
(function () {
  "use strict";
  var box = document.getElementById("pin-map");
  var lon = document.getElementById("lon");
  var lat = document.getElementById("lat");
  if (!box || !window.L) { return; }
  var bounds = JSON.parse(box.dataset.bounds || "null");
  var map = L.map(box);
  if (bounds) { map.fitBounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]]); } else { map.setView([28.7, 121.4], 11); }
  window.LookbackBasemaps.attach(map);
  if (bounds) {
    fetch("/api/layers/grid-cells?bbox=" + bounds.join(","), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (cells) {
        if (cells) { L.geoJSON(cells, {style: {color: "#1f5f4a", weight: 1, fillOpacity: 0.05}, interactive: false}).addTo(map); }
      });
  }
  var marker = null;

  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.circleMarker(latlng, {radius: 9, color: "#a4161a", weight: 3}).addTo(map);
    }
  }

  function fromFields() {
    var x = parseFloat(lon.value);
    var y = parseFloat(lat.value);
    if (isFinite(x) && isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90) { place([y, x]); }
  }

  map.on("click", function (e) {
    lon.value = e.latlng.lng.toFixed(6);
    lat.value = e.latlng.lat.toFixed(6);
    place(e.latlng);
  });
  lon.addEventListener("change", fromFields);
  lat.addEventListener("change", fromFields);
  document.getElementById("clear-pin").addEventListener("click", function () {
    lon.value = "";
    lat.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
  });
  fromFields();
})();
