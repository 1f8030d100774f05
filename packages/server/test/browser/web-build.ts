/**
 * Makes sure apps/web/dist is a build of the current sources before the browser suites
 * run: when it is missing or older than any source it is made from, compiles the
 * workspace packages (`tsc -b`) and builds it with `npm run build:web`. Says why when it cannot, so a suite skips loudly, never silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const WEB_DIR = join(REPO_ROOT, 'apps/web');
export const WEB_DIST = join(WEB_DIR, 'dist');

/** What the bundle is made from: the app, its config, and the workspace packages it imports. */
const BUILD_INPUTS = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/public',
  'apps/web/vite.config.ts',
  'apps/web/vite.config.js',
  'apps/web/package.json',
  'packages/react/src',
  'packages/client/src',
  'packages/protocol/src',
];

export type WebBuild = { ready: true; built: boolean } | { ready: false; reason: string };

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why the build is out of date, or undefined when dist/index.html is newer than every input. */
export function staleReason(): string | undefined {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return 'apps/web/dist/index.html does not exist';
  const builtAt = statSync(index).mtimeMs;
  const changed = BUILD_INPUTS.find((input) => newestMtime(join(REPO_ROOT, input)) > builtAt);
  return changed ? `${changed} changed after the last build` : undefined;
}

function run(command: string, args: string[], why: string): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (building the web app because ${why}):\n${output}`);
  }
}

function hasBuildScript(): boolean {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return typeof manifest.scripts?.['build:web'] === 'string';
}

/**
 * Builds the web app when needed. Throws when the build itself fails (a broken app must
 * fail the suite); returns `ready: false` with the reason when there is nothing to build.
 */
export function prepareWebBuild(): WebBuild {
  if (!existsSync(join(WEB_DIR, 'package.json'))) return { ready: false, reason: 'apps/web does not exist yet' };
  const stale = staleReason();
  if (stale === undefined) return { ready: true, built: false };
  if (!hasBuildScript()) {
    return { ready: false, reason: `${stale} and the root package.json has no "build:web" script to build it` };
  }
  // Vite bundles the workspace packages from their dist folders: compile those first.
  run('npx', ['tsc', '-b'], stale);
  run('npm', ['run', 'build:web'], stale);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('npm run build:web succeeded but wrote no apps/web/dist/index.html');
  return { ready: true, built: true };
}
