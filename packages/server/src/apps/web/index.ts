/**
 * The demo web app (apps/web, built by Vite) served at `/` by the same server, so the
 * browser talks to the API and WebSockets on its own origin.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../../core/app.js';
import { registerStaticSite } from '../../http/static.js';

/**
 * apps/web/dist of the repository: five levels up from this module, which lives in
 * packages/server/{src,dist}/apps/web/.
 */
export const DEFAULT_WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..', 'apps/web/dist');

export interface WebAppOptions {
  /** The built app folder (with index.html); defaults to the repository's apps/web/dist. */
  readonly root?: string;
}

const MISSING_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Switchboard</title></head>
<body>
<h1>Switchboard is running</h1>
<p>The demo web app has not been built yet. Build it from the repository root with
<code>npm run build:web</code>, then reload this page.</p>
<p>The REST API is described at <a href="/api/docs">/api/docs</a>; server health is at <a href="/health">/health</a>.</p>
</body>
</html>
`;

export function webApp(options: WebAppOptions = {}): App {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  return {
    name: 'web',
    http(fastify) {
      registerStaticSite(fastify, { root, missingPage: MISSING_PAGE });
    },
  };
}
