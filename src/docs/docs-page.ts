/**
 * The /docs page: Swagger UI from the gateway's own /docs/assets/ (no CDN, no font service), fed
 * /openapi.json. The online spec validator Swagger UI calls by default is switched off, so the
 * page makes no request beyond the gateway. Without JavaScript the raw document link remains.
 */
import { DOCS_ASSET_PREFIX } from './docs-assets'

export function docsPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>unimeter API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${DOCS_ASSET_PREFIX}swagger-ui.css">
<link rel="icon" href="data:,">
</head><body>
<noscript><p>The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSET_PREFIX}swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  displayOperationId: true,
  persistAuthorization: false,
})
</script>
</body></html>`
}
