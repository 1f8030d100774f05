/**
 * The docs list what the code has: the README's configuration table names every
 * environment variable the CLI reads (ENV_VARS), and docs/protocol.md names every
 * WebSocket route the built-in apps register. Route patterns use `:param` segments;
 * the docs write ids as `<uuid>` (or `{id}`), so a parameter matches any of those.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinApps } from '../../server/src/apps/index.js';
import { ENV_VARS } from '../../server/src/cli/config.js';

const ROOT = new URL('../../../', import.meta.url);

function read(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A route pattern as the docs may write it: `:param`, `<name>` or `{name}` for each parameter. */
function routePattern(path: string): RegExp {
  const parameter = String.raw`(?::[A-Za-z_]\w*|<[^<>\s]+>|\{[^{}\s]+\})`;
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? parameter : escapeRegExp(segment)))
    .join('/');
  // The whole path, not a prefix of a longer one (`/ws/documents/<uuid>/` vs `…/yjs`).
  return new RegExp(`${source}(?![\\w/<{:])`);
}

const ROUTES = [...new Set(builtinApps().flatMap((app) => (app.routes ?? []).map((route) => route.path)))];

describe('README.md configuration table', () => {
  const readme = read('README.md');

  it('has environment variables to check', () => {
    expect(ENV_VARS.length).toBeGreaterThan(0);
  });

  it.each(ENV_VARS.map(([name]) => name))('lists %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });
});

describe('docs/protocol.md WebSocket routes', () => {
  const protocol = read('docs/protocol.md');

  it('has routes to check', () => {
    expect(ROUTES.length).toBeGreaterThan(0);
  });

  it.each(ROUTES)('mentions %s', (path) => {
    expect(protocol).toMatch(routePattern(path));
  });
});

describe('routePattern', () => {
  it('matches each parameter spelling and nothing longer', () => {
    const pattern = routePattern('/ws/documents/:document_id/');
    expect('`/ws/documents/<uuid>/`').toMatch(pattern);
    expect('`/ws/documents/{id}/`').toMatch(pattern);
    expect('`/ws/documents/:document_id/`').toMatch(pattern);
    expect('`/ws/documents/<uuid>/yjs`').not.toMatch(pattern);
    expect('`/ws/documents/`').not.toMatch(pattern);
    expect('`/api/v1/ws`').toMatch(routePattern('/api/v1/ws'));
    expect('`/api/v1/ws/rooms`').not.toMatch(routePattern('/api/v1/ws'));
  });
});
