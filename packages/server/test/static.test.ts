/**
 * The web app's static serving at `/` (apps/web): files with their content types and
 * cache headers, the SPA fallback, no way out of the root, the "not built yet" page,
 * and the server's own routes (`/api`, `/health`, `/metrics`, WebSockets) untouched.
 * A real server on 127.0.0.1 serving a folder written here; raw HTTP requests where
 * fetch would normalize a `..` away.
 */
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApps } from '../src/apps/index.js';
import { webApp } from '../src/apps/web/index.js';
import { TestClient } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const INDEX_HTML = '<!doctype html><html><body><div id="root" data-marker="spa-index"></div></body></html>';
const HASHED_JS = 'console.log("hashed bundle");';
const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';

function writeSite(): { root: string; outside: string } {
  const outside = mkdtempSync(join(tmpdir(), 'switchboard-static-'));
  const root = join(outside, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'assets', 'index-AbCd1234.js'), HASHED_JS);
  writeFileSync(join(root, 'assets', 'style.css'), 'body { color: red; }');
  writeFileSync(join(root, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'docs', 'guide.txt'), 'a guide');
  writeFileSync(join(root, '.env'), `JWT_SECRET=${SECRET}`);
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  return { root, outside };
}

/** Apps as the server registers them, with the web app pointed at `root`. */
function appsServing(root: string) {
  return [...builtinApps().filter((app) => app.name !== 'web'), webApp({ root })];
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent byte for byte (fetch and URL would resolve `..`). */
function rawGet(port: number, path: string, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web app static serving', () => {
  let server: TestServer;
  let site: { root: string; outside: string };

  beforeAll(async () => {
    site = writeSite();
    server = await startServer({}, { apps: appsServing(site.root) });
  });
  afterAll(() => server.stop());

  it('serves index.html at / with a revalidating cache header', async () => {
    const response = await fetch(`${server.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    for (const path of ['/chat/general', '/documents/6f1f7c8e-3a52-4c52-9d0e-2b1f4c6f9a10', '/login?next=%2Fchat', '/docs']) {
      const response = await fetch(`${server.httpUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(await response.text(), path).toBe(INDEX_HTML);
    }
  });

  it('serves hashed assets as immutable and other files as revalidating, with their content types', async () => {
    const bundle = await fetch(`${server.httpUrl}/assets/index-AbCd1234.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(bundle.headers.get('content-length')).toBe(String(Buffer.byteLength(HASHED_JS)));
    expect(await bundle.text()).toBe(HASHED_JS);

    const css = await fetch(`${server.httpUrl}/assets/style.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    expect(await css.text()).toBe('body { color: red; }');

    const svg = await fetch(`${server.httpUrl}/logo.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    await svg.arrayBuffer();

    const nested = await fetch(`${server.httpUrl}/docs/guide.txt`);
    expect(nested.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await nested.text()).toBe('a guide');
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await fetch(`${server.httpUrl}/assets/index-AbCd1234.js`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${server.httpUrl}/assets/index-AbCd1234.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await rawGet(server.port, '/assets/index-AbCd1234.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(head.body).toBe('');
  });

  it('gives a JSON 404 for a missing file (a path with an extension) instead of the page', async () => {
    const response = await fetch(`${server.httpUrl}/assets/index-Gone0000.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('never serves anything outside the root, dotfiles or symlinks leading out', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/.env',
      '/%2eenv',
      '/assets/../.env',
      '/leak.txt',
      '/index.html%00.txt',
      '/%E0%A4%A',
      '//etc/passwd',
      `/${'../'.repeat(12)}etc/passwd`,
    ];
    for (const path of attempts) {
      const response = await rawGet(server.port, path);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.body, path).not.toMatch(/root:.*:0:0:/);
      // Either refused (400 for undecodable paths, from Fastify), or a harmless
      // client-side route answered with the app's page.
      if (response.status === 200) expect(response.body, path).toBe(INDEX_HTML);
      else expect([400, 404], path).toContain(response.status);
    }
    // The ones that name a file are refused outright.
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/.env', '/leak.txt', '/..%5csecret.txt']) {
      expect((await rawGet(server.port, path)).status, path).toBe(404);
    }
  });

  it('leaves the server routes alone: /api and /ws keep JSON 404s, /health, /metrics and /api/docs still answer', async () => {
    for (const path of ['/api/nothing-here', '/api', '/ws/nothing/', '/health/extra', '/metrics/x']) {
      const response = await fetch(`${server.httpUrl}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ error: { code: 'not_found' } });
    }
    const health = await fetch(`${server.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toContain('application/json');
    await health.arrayBuffer();

    const metrics = await fetch(`${server.httpUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# HELP');

    const docs = await fetch(`${server.httpUrl}/api/docs`);
    expect((await docs.json()).openapi).toBe('3.1.0');

    // Other methods are not static: POST / is the usual JSON 404.
    const post = await fetch(`${server.httpUrl}/`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('still upgrades WebSockets', async () => {
    const client = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('static-alice')));
    expect(await client.next('system')).toMatchObject({ message: 'Connected successfully', user_id: 'static-alice' });
    await client.close();
  });
});

describe('web app not built yet', () => {
  let server: TestServer;
  let root: string;

  beforeAll(async () => {
    root = join(mkdtempSync(join(tmpdir(), 'switchboard-static-')), 'dist');
    server = await startServer({}, { apps: appsServing(root) });
  });
  afterAll(() => server.stop());

  it('answers / and client-side routes with a page saying how to build the app', async () => {
    for (const path of ['/', '/chat/general']) {
      const response = await fetch(`${server.httpUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      const page = await response.text();
      expect(page, path).toContain('npm run build:web');
      expect(page, path).toContain('/api/docs');
    }
    const asset = await fetch(`${server.httpUrl}/assets/index-AbCd1234.js`);
    expect(asset.status).toBe(404);
    await asset.arrayBuffer();
  });

  it('serves the app as soon as it is built, without a restart', async () => {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), INDEX_HTML);
    const response = await fetch(`${server.httpUrl}/`);
    expect(await response.text()).toBe(INDEX_HTML);
  });
});
