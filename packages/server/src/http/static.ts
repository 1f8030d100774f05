/**
 * Serves a built single-page app (a folder with index.html) from `/`: files by path,
 * index.html for client-side routes, and nothing outside the folder. Paths owned by the
 * server (`/api`, `/ws`, `/health`, `/metrics`) keep their JSON 404 instead of the page.
 */
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, posix, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

interface StaticSiteOptions {
  /** The folder holding index.html and its assets (an absolute path, or relative to the working directory). */
  readonly root: string;
  /** Served when the folder has no index.html yet: says how to build the app. */
  readonly missingPage: string;
}

/** Prefixes the SPA fallback never answers, so API clients keep getting JSON errors. */
const SERVER_PREFIXES = ['/api', '/ws', '/health', '/metrics'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Vite names bundled assets `name-<hash>.ext`; their content never changes under that name. */
const HASHED_ASSET = /^\/assets\/.+[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) is revalidated, so a new build shows at once. */
const REVALIDATE = 'no-cache';

function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * The URL path as a relative file path inside the root, or undefined when it cannot
 * name a file there: undecodable, NUL bytes, backslashes, dot segments (`..` and
 * dotfiles such as `.env`), all checked after percent-decoding.
 */
function safeRelativePath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  return posix.join(...(segments.length > 0 ? segments : ['.']));
}

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

export function registerStaticSite(fastify: FastifyInstance, options: StaticSiteOptions): void {
  const root = resolve(options.root);
  let realRoot: string | undefined;

  /** The file's stats when it is a regular file really inside the root (symlinks resolved). */
  async function findFile(relative: string): Promise<{ path: string; stats: Stats } | undefined> {
    const path = join(root, relative);
    try {
      realRoot ??= await realpath(root);
      const real = await realpath(path);
      if (!real.startsWith(realRoot + sep)) return undefined;
      const stats = await stat(real);
      return stats.isFile() ? { path: real, stats } : undefined;
    } catch {
      return undefined;
    }
  }

  function sendFile(request: FastifyRequest, reply: FastifyReply, file: { path: string; stats: Stats }, urlPath: string): FastifyReply {
    const etag = `W/"${file.stats.size.toString(16)}-${Math.floor(file.stats.mtimeMs).toString(16)}"`;
    reply
      .header('cache-control', HASHED_ASSET.test(urlPath) ? IMMUTABLE : REVALIDATE)
      .header('etag', etag)
      .header('last-modified', file.stats.mtime.toUTCString())
      .header('x-content-type-options', 'nosniff')
      .type(CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    reply.header('content-length', file.stats.size);
    return reply.send(createReadStream(file.path));
  }

  async function serve(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const pathname = request.url.split('?', 1)[0] ?? '/';
    const relative = isServerPath(pathname) ? undefined : safeRelativePath(pathname);
    if (relative === undefined) return notFound(reply);
    if (relative !== '.') {
      const file = await findFile(relative);
      if (file) return sendFile(request, reply, file, pathname);
      // A missing file (it has an extension) is a 404; anything else is a client-side route.
      if (extname(relative) !== '') return notFound(reply);
    }
    const index = await findFile('index.html');
    if (index) return sendFile(request, reply, index, '/index.html');
    return reply.code(200).header('cache-control', REVALIDATE).type(CONTENT_TYPES['.html']!).send(options.missingPage);
  }

  // Fastify matches registered routes first, so this only sees paths no app claimed.
  fastify.get('/', { schema: { hide: true } }, serve);
  fastify.get('/*', { schema: { hide: true } }, serve);
}
