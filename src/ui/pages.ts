/**
 * The HTML shells of the connect page and the console: no inline script or style (the CSP allows
 * only the gateway's own /ui/ files), everything else drawn by the bundled script. Nothing in the
 * shell depends on the request, so no query parameter can inject markup.
 */
import { UI_ASSET_PREFIX } from './ui-assets'

export const CONNECT_PAGE_PATHS = ['/connect', '/connect-account'] as const
export const CONSOLE_PAGE_PATH = '/console'

/**
 * Scripts, styles and requests only from the gateway itself; no plugins, no <base>, forms only
 * back here; not framed by anyone (a framed credential form invites clickjacking).
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

export function pageHeaders(page: 'connect' | 'console'): Record<string, string> {
  return {
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // The link token is in the connect page's URL: never send it on to a vendor docs link.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    // The connect page must keep its opener (the SDK's popup mode posts the result to it).
    'cross-origin-opener-policy': page === 'connect' ? 'unsafe-none' : 'same-origin',
  }
}

function shell(title: string, script: string, noscript: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${UI_ASSET_PREFIX}ui.css">
<link rel="icon" href="data:,">
<script src="${UI_ASSET_PREFIX}${script}" defer></script>
</head><body>
<noscript><p>${noscript}</p></noscript>
<div id="app"></div>
</body></html>`
}

export const connectPage = () => shell('Connect an account', 'connect.js', 'Connecting an account needs JavaScript.')
export const consolePage = () =>
  shell('unimeter console', 'console.js', 'The console needs JavaScript; the API itself is described at <a href="/docs">/docs</a>.')
