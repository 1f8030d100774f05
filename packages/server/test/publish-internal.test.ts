/**
 * The publish API must not reach server-internal groups: a `close_user` command sent
 * through it would close any user's sockets with any code.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { request, type Reply } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const API_KEY = 'publish-internal-test-key';
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ apiKey: API_KEY });
});
afterAll(() => server.stop());

const publish = (body: unknown): Promise<Reply> => request(server, 'POST', '/api/publish', { body, apiKey: API_KEY });

it('refuses switchboard:* groups with 403 and leaves the target connected', async () => {
  const victim = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('victim')));
  await victim.next('system');
  for (const group of ['switchboard:control', 'switchboard:analytics:instances']) {
    const reply = await publish({
      group,
      message: { type: 'x', command: 'close_user', userId: 'victim', code: 4003, reason: 'Forbidden' },
    });
    expect(reply).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'Internal groups cannot be published to' } } });
  }
  await victim.roundTrip();
  await victim.close();
});

it('still publishes to ordinary groups', async () => {
  const client = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('reader')));
  await client.next('system');
  expect((await publish({ user_id: 'reader', message: { type: 'announcement', text: 'hi' } })).status).toBe(200);
  expect(await client.next('announcement')).toMatchObject({ text: 'hi' });
  await client.close();
});
