/**
 * The `switchboard` CLI as real child processes (dist/cli/main.js, built by `tsc -b`),
 * each in its own temporary working directory so `./data/` lands there, on 127.0.0.1.
 */
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV_VARS } from '../src/cli/config.js';
import {
  REPO_ROOT,
  killAll,
  listeningOn,
  liveProcessesInGroup,
  removeTempDirs,
  runCli,
  spawnCommand,
  startServe,
  tempDir,
  type ServeProcess,
} from './support/cli.js';
import { TestClient, closeOf, type Message } from './support/client.js';
import { request } from './support/http.js';
import { freePort } from './support/ports.js';
import { TEST_SECRET, signTestToken } from './support/server.js';

const PASSWORD = 'correct-horse-battery';
const ROOMS = '/api/v1/ws';
const clients: TestClient[] = [];
/** Each test starts several Node processes; generous on a loaded two-core CI machine. */
const PROCESSES = { timeout: 60_000 };

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await killAll();
  removeTempDirs();
});

/** A fresh working directory, realpath'd so it compares equal to what the CLI prints. */
function workDir(): string {
  return realpathSync(tempDir());
}

async function serveEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return { HOST: '127.0.0.1', PORT: String(await freePort()), LOG_LEVEL: 'info', ...extra };
}

async function welcome(serve: ServeProcess, token: string): Promise<{ client: TestClient; message: Message }> {
  const client = new TestClient(serve.wsUrl(ROOMS, token));
  clients.push(client);
  await client.opened;
  return { client, message: await client.next('system') };
}

async function createUser(cwd: string, username: string, ...flags: string[]): Promise<{ id: string; [key: string]: unknown }> {
  const result = await runCli(['user', 'create', username, '--password', PASSWORD, ...flags], { cwd });
  expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
  return JSON.parse(result.stdout) as { id: string };
}

async function issueToken(cwd: string, username: string, env?: Record<string, string>): Promise<string> {
  const result = await runCli(['token', username], { cwd, ...(env ? { env } : {}) });
  expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
  return result.stdout.trim();
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

describe('serve', PROCESSES, () => {
  it('generates a development JWT secret on first start and reuses it on the next', async () => {
    const cwd = workDir();
    const secretFile = join(cwd, 'data', 'jwt-secret');
    const env = await serveEnv();
    const first = await startServe([], { cwd, env });
    expect(first.port).toBe(Number(env.PORT));
    expect(first.proc.stdout).toContain(`Switchboard listening on http://127.0.0.1:${env.PORT}\n`);
    expect(first.proc.stderr).toContain(`generated a development JWT secret in ${secretFile}.`);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8');
    expect(Buffer.byteLength(secret.trim())).toBeGreaterThanOrEqual(32);

    const alice = await createUser(cwd, 'alice', '--name', 'Alice');
    const token = await issueToken(cwd, 'alice');
    expect((await welcome(first, token)).message).toMatchObject({ message: 'Connected successfully', user_id: alice.id });
    first.proc.signal('SIGTERM');
    expect(await first.proc.exited).toEqual({ code: 0, signal: null });

    const second = await startServe([], { cwd, env: await serveEnv() });
    expect(second.proc.stderr).toContain(`using the development JWT secret in ${secretFile}.`);
    expect(second.proc.stderr).not.toContain('generated');
    expect(readFileSync(secretFile, 'utf8')).toBe(secret);
    expect((await welcome(second, token)).message).toMatchObject({ user_id: alice.id });
  });

  it('reports "generated" on the first serve even after user create ran first', async () => {
    const cwd = workDir();
    await createUser(cwd, 'alice');
    // Only commands that sign or verify tokens need a key; user create must not make one silently.
    expect(existsSync(join(cwd, 'data', 'jwt-secret'))).toBe(false);
    const serve = await startServe([], { cwd, env: await serveEnv() });
    expect(serve.proc.stderr).toContain('generated a development JWT secret in');
  });

  it('with JWT_SECRET set, warns about nothing and accepts tokens signed with that secret', async () => {
    const cwd = workDir();
    const serve = await startServe([], { cwd, env: await serveEnv({ JWT_SECRET: TEST_SECRET }) });
    expect(serve.proc.stderr).not.toContain('WARNING');
    expect(existsSync(join(cwd, 'data', 'jwt-secret'))).toBe(false);
    const { message } = await welcome(serve, await signTestToken('external-user'));
    expect(message.user_id).toBe('external-user');
  });
});

describe('user create', PROCESSES, () => {
  it('prints the new user as JSON, refuses a duplicate with exit 2, and --staff makes staff', async () => {
    const cwd = workDir();
    const alice = await createUser(cwd, 'alice', '--name', 'Alice');
    expect(alice).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username: 'alice', name: 'Alice', is_staff: false });

    const again = await runCli(['user', 'create', 'alice', '--password', PASSWORD], { cwd });
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('switchboard: user alice already exists\n');

    const boss = await createUser(cwd, 'boss', '--staff');
    expect(boss).toMatchObject({ username: 'boss', name: 'boss', is_staff: true });
    expect(boss.id).not.toBe(alice.id);
  });

  it('takes the password from SWITCHBOARD_PASSWORD and refuses short or missing ones', async () => {
    const cwd = workDir();
    const fromEnv = await runCli(['user', 'create', 'carol'], { cwd, env: { SWITCHBOARD_PASSWORD: PASSWORD } });
    expect(fromEnv, fromEnv.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ username: 'carol' });

    const short = await runCli(['user', 'create', 'dave', '--password', 'short'], { cwd });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/password of at least 8 characters/);
    const missing = await runCli(['user', 'create'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/usage: switchboard user create <username>/);
  });
});

describe('token', PROCESSES, () => {
  it('prints a JWT that a running serve accepts; an unknown user exits 2', async () => {
    const cwd = workDir();
    const env = await serveEnv({ JWT_SECRET: TEST_SECRET });
    const serve = await startServe([], { cwd, env });
    const alice = await createUser(cwd, 'alice', '--name', 'Alice');

    const token = await issueToken(cwd, 'alice', { JWT_SECRET: TEST_SECRET });
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(claimsOf(token)).toMatchObject({ sub: alice.id, user_id: alice.id, name: 'Alice', token_type: 'access' });
    const { message } = await welcome(serve, token);
    expect(message).toMatchObject({ type: 'system', message: 'Connected successfully', user_id: alice.id });

    const nobody = await runCli(['token', 'nobody'], { cwd, env: { JWT_SECRET: TEST_SECRET } });
    expect(nobody.code).toBe(2);
    expect(nobody.stdout).toBe('');
    expect(nobody.stderr).toMatch(/no user named nobody/);
  });

  it('--ttl sets the lifetime and must be a positive integer', async () => {
    const cwd = workDir();
    await createUser(cwd, 'alice');
    const result = await runCli(['token', 'alice', '--ttl', '60'], { cwd, env: { JWT_SECRET: TEST_SECRET } });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    const claims = claimsOf(result.stdout.trim()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(60);
    for (const ttl of ['0', 'soon', '1.5']) {
      const bad = await runCli(['token', 'alice', '--ttl', ttl], { cwd, env: { JWT_SECRET: TEST_SECRET } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--ttl must be a positive integer/);
    }
  });
});

describe('migrate', PROCESSES, () => {
  it('exits 0 and prints "migrations applied", again when there is nothing to do', async () => {
    const cwd = workDir();
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['migrate'], { cwd });
      expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
      expect(result.stdout).toBe('migrations applied\n');
    }
    expect(existsSync(join(cwd, 'data', 'switchboard.db'))).toBe(true);
    // No JWT configuration is needed (or generated) to migrate.
    expect(existsSync(join(cwd, 'data', 'jwt-secret'))).toBe(false);
  });

  it('--database-url picks the SQLite file', async () => {
    const cwd = workDir();
    const result = await runCli(['migrate', '--database-url', 'db/custom.db'], { cwd });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(existsSync(join(cwd, 'db', 'custom.db'))).toBe(true);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});

describe('configuration', PROCESSES, () => {
  it('precedence is --port > PORT > config file; the config file is read (--config or SWITCHBOARD_CONFIG)', async () => {
    const cwd = workDir();
    const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(join(cwd, 'switchboard.json'), JSON.stringify({ port: filePort, maxConnectionsPerUser: 1 }));
    const fileOnly = await startServe(['--config', 'switchboard.json'], { cwd, env: { HOST: '127.0.0.1', JWT_SECRET: TEST_SECRET } });
    expect(fileOnly.port).toBe(filePort);
    fileOnly.proc.signal('SIGTERM');
    expect(await fileOnly.proc.exited).toEqual({ code: 0, signal: null });

    const envOverFile = await startServe(['--config', 'switchboard.json'], {
      cwd,
      env: { HOST: '127.0.0.1', JWT_SECRET: TEST_SECRET, PORT: String(envPort) },
    });
    expect(envOverFile.port).toBe(envPort);
    envOverFile.proc.signal('SIGTERM');
    expect(await envOverFile.proc.exited).toEqual({ code: 0, signal: null });

    const serve = await startServe(['--port', String(flagPort)], {
      cwd,
      env: { HOST: '127.0.0.1', JWT_SECRET: TEST_SECRET, PORT: String(envPort), SWITCHBOARD_CONFIG: 'switchboard.json' },
    });
    expect(serve.port).toBe(flagPort);
    // maxConnectionsPerUser: 1 from the file: alice's second connection is refused with 4008.
    const token = await signTestToken('alice');
    await welcome(serve, token);
    expect(await closeOf(serve.wsUrl(ROOMS, token))).toEqual({ code: 4008, reason: expect.any(String) });
  });

  it.each<{ name: string; args: string[]; env: Record<string, string>; message: RegExp }>([
    { name: 'PORT=abc', args: [], env: { PORT: 'abc' }, message: /PORT must be an integer, got "abc"/ },
    { name: 'PORT=0x1f90', args: [], env: { PORT: '0x1f90' }, message: /PORT must be an integer/ },
    { name: 'a short JWT_SECRET', args: [], env: { JWT_SECRET: 'too-short' }, message: /JWT_SECRET must be at least 32 bytes/ },
    { name: 'MAX_CONNECTIONS_PER_USER=ten', args: [], env: { MAX_CONNECTIONS_PER_USER: 'ten' }, message: /MAX_CONNECTIONS_PER_USER/ },
    { name: 'ALLOW_REGISTRATION=nope', args: [], env: { ALLOW_REGISTRATION: 'nope' }, message: /ALLOW_REGISTRATION must be true or false/ },
    { name: 'LOG_LEVEL=loud', args: [], env: { LOG_LEVEL: 'loud' }, message: /LOG_LEVEL must be one of/ },
    { name: '--port abc', args: ['--port', 'abc'], env: {}, message: /--port must be an integer, got "abc"/ },
    { name: 'a missing config file', args: ['--config', 'nope.json'], env: {}, message: /config file nope\.json/ },
    { name: 'a config file with a typo', args: ['--config', 'typo.json'], env: {}, message: /typo\.json: unknown option "maxConnectionPerUser"/ },
    { name: 'a mistyped config value', args: ['--config', 'string.json'], env: {}, message: /string\.json: "allowRegistration" must be a boolean/ },
    { name: 'a config file with bad JSON', args: ['--config', 'bad.json'], env: {}, message: /bad\.json: invalid JSON/ },
    { name: 'an unknown flag', args: ['--prot', '80'], env: {}, message: /--prot/ },
  ])('serve exits 2 naming the problem for $name', async ({ args, env, message }) => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'typo.json'), JSON.stringify({ maxConnectionPerUser: 1 }));
    writeFileSync(join(cwd, 'bad.json'), '{"port": 80,}');
    writeFileSync(join(cwd, 'string.json'), JSON.stringify({ allowRegistration: 'false' }));
    const result = await runCli(['serve', ...args], { cwd, env: { ...(await serveEnv({ JWT_SECRET: TEST_SECRET })), ...env } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toMatch(/listening/);
  });

  it('ALLOW_REGISTRATION=0 disables registration', async () => {
    const cwd = workDir();
    const serve = await startServe([], { cwd, env: await serveEnv({ JWT_SECRET: TEST_SECRET, ALLOW_REGISTRATION: '0' }) });
    const response = await request(serve, 'POST', '/api/auth/register', { body: { username: 'mallory', password: PASSWORD, name: 'Mallory' } });
    expect(response.status).toBe(403);
  });
});

describe('graceful shutdown', PROCESSES, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s closes every client with 1001 and exits 0', async (signal) => {
    const cwd = workDir();
    const serve = await startServe([], { cwd, env: await serveEnv({ JWT_SECRET: TEST_SECRET }) });
    const alice = await welcome(serve, await signTestToken('alice'));
    const bob = await welcome(serve, await signTestToken('bob'));
    serve.proc.signal(signal);
    const shutdown = { code: 1001, reason: 'Server shutting down' };
    expect(await alice.client.closed).toEqual(shutdown);
    expect(await bob.client.closed).toEqual(shutdown);
    expect(await serve.proc.exited).toEqual({ code: 0, signal: null });
    expect(serve.proc.stdout).toMatch(/"msg":"switchboard stopped"/);
  });

  it('a signal delivered twice at once (terminal and npm both forward Ctrl-C) still shuts down gracefully', async () => {
    const cwd = workDir();
    const serve = await startServe([], { cwd, env: await serveEnv({ JWT_SECRET: TEST_SECRET }) });
    const alice = await welcome(serve, await signTestToken('alice'));
    serve.proc.signal('SIGINT');
    // Two kill() calls back to back coalesce in the kernel; npm forwards its copy once the
    // first was handled, which is what this reproduces.
    await serve.proc.waitFor('stdout', /"msg":"shutting down"/);
    serve.proc.signal('SIGINT');
    expect(await alice.client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
    expect(await serve.proc.exited).toEqual({ code: 0, signal: null });
    expect(serve.proc.stdout).toMatch(/"msg":"switchboard stopped"/);
  });
});

describe('help', PROCESSES, () => {
  const source = (file: string): string => readFileSync(join(REPO_ROOT, 'packages/server/src/cli', file), 'utf8');

  it('lists every command and every environment variable the CLI reads', async () => {
    const cwd = workDir();
    const result = await runCli(['help'], { cwd });
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
    const commands = [...source('main.ts').matchAll(/case '([a-z-]+)':/g)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['serve', 'migrate', 'user', 'token']));
    for (const command of [...commands, 'user create', 'help']) expect(result.stdout).toContain(`switchboard ${command}`);

    const read = new Set<string>();
    for (const file of ['main.ts', 'config.ts']) {
      for (const m of source(file).matchAll(/\benv(?:\.|, ')([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
    }
    expect(read.size).toBeGreaterThan(10);
    for (const name of [...read, ...ENV_VARS.map(([n]) => n)]) expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));

    const flag = await runCli(['--help'], { cwd });
    expect(flag.stdout).toBe(result.stdout);
  });

  it('an unknown command exits 2 and points to help', async () => {
    const result = await runCli(['serv'], { cwd: workDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('switchboard: unknown command "serv"; run switchboard help\n');
  });
});

describe('README quick start: npm start at the repo root', () => {
  it('builds, serves /health, and leaves no process behind after SIGTERM', { timeout: 180_000 }, async () => {
    const dir = workDir();
    const port = await freePort();
    const npm = spawnCommand('npm', ['start'], {
      cwd: REPO_ROOT,
      detached: true,
      env: { HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: join(dir, 'switchboard.db') },
    });
    const serve = await listeningOn(npm, 150_000);
    expect(serve.port).toBe(port);
    // The development secret goes next to the database, not into the repository.
    expect(npm.stderr).toContain(`generated a development JWT secret in ${join(dir, 'jwt-secret')}.`);

    const response = await request(serve, 'GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'healthy' });

    npm.signal('SIGTERM');
    // 'close' fires once every process holding npm's stdout/stderr (npm, sh, node) has exited.
    await npm.exited;
    expect(liveProcessesInGroup(npm.pid)).toEqual([]);
    expect(npm.stdout).toMatch(/"msg":"switchboard stopped"/);
  });
});
