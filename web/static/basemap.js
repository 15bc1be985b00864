// Every map page's basemaps from one configuration (web/basemaps.py, sent as the page's
// #basemaps data island): Tianditu's vector and imagery maps, each with its annotation
// layer, and an intranet tile server by URL; each source with its own attribution, and
// Leaflet's credit without its flag. With none configured the map keeps its plain background.
(function () {
  "use strict";
  var island = document.getElementById("basemaps");
  var configured = island ? JSON.parse(island.textContent) : [];
  var PREFIX = '<a href="https://leafletjs.com">Leaflet</a>';

  function escaped(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  // One basemap: its tile layers (a map and its annotations) as one group.
  function layerOf(basemap) {
    var group = L.layerGroup();
    basemap.layers.forEach(function (layer) {
      var options = {maxZoom: layer.maxZoom || 20, attribution: escaped(layer.attribution)};
      if (layer.subdomains) { options.subdomains = layer.subdomains; }
      if (layer.referrerPolicy) { options.referrerPolicy = layer.referrerPolicy; }
      group.addLayer(L.tileLayer(layer.url, options));
    });
    return group;
  }

  // Show the first basemap on `map`, the credit without a flag, and (unless options.switcher
  // is false: the page puts the choice in a control of its own) a switcher when there are
  // several. The choice: {title: layer}.
  function attach(map, options) {
    var bases = {};
    configured.forEach(function (basemap, i) {
      var layer = layerOf(basemap);
      bases[basemap.title] = layer;
      if (i === 0) { layer.addTo(map); }
    });
    if (map.attributionControl) { map.attributionControl.setPrefix(PREFIX); }
    if ((!options || options.switcher !== false) && configured.length > 1) {
      L.control.layers(bases, null, {collapsed: true, position: "bottomright"}).addTo(map);
    }
    return bases;
  }

  // Every tile URL template configured (for the upload page's offline tiles).
  function tileTemplates() {
    var found = [];
    configured.forEach(function (basemap) {
      basemap.layers.forEach(function (layer) {
        found.push({url: layer.url, subdomains: layer.subdomains || "abc",
                    maxZoom: layer.maxZoom || 20});
      });
    });
    return found;
  }

  window.LookbackBasemaps = {attach: attach, configured: configured, tileTemplates: tileTemplates};
}());
