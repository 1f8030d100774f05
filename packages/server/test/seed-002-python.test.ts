/**
 * Seed 002's Python client (the `websockets` library, run by a real CPython) against the
 * server unchanged: it subscribes to `blog_post_published`, pings, and receives the
 * notification when a post is published through the HTTP API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, register } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

let server: TestServer;
let python: ChildProcess | undefined;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  python?.kill();
  await server.stop();
});

/** Resolves with the first stdout line matching `pattern`. */
function lineMatching(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern}; stdout: ${buffered}; stderr: ${stderr}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(line);
      }
    };
    child.stdout!.on('data', onData);
  });
}

it('subscribes, pings and receives blog_post_published', async () => {
  const reader = await register(server, 'pyreader');
  const author = await register(server, 'pyauthor');
  python = spawn(PYTHON, ['-u', join(here, 'fixtures', 'seed002_python_client.py')], {
    env: { ...process.env, SWITCHBOARD_TOKEN: reader.token, SWITCHBOARD_HOST: `127.0.0.1:${server.port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(await lineMatching(python, /'type': 'unread_count'/)).toContain("'count': 0");
  await lineMatching(python, /'type': 'pong'/);

  const created = await api(server).call('POST', '/api/blog/posts', author.token, {
    title: 'Hello from Switchboard',
    content: 'First post',
    status: 'published',
  });
  expect(created.status).toBe(201);
  const line = await lineMatching(python, /'type': 'notification'/);
  expect(line).toContain("'notification_type': 'blog_post_published'");
  expect(line).toContain('Hello from Switchboard');
});
