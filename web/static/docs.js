// The API docs: Swagger UI (served by the app) on the app's OpenAPI schema.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("docs-config").textContent);
  window.ui = SwaggerUIBundle({url: config.url, dom_id: "#swagger-ui", layout: "BaseLayout",
    deepLinking: true, presets: [SwaggerUIBundle.presets.apis]});
}());
