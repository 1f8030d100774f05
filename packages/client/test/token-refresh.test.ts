/**
 * `client.refreshToken(token)` against the real server: every open connection gets
 * `refresh_token` and outlives the old token (a raw socket holding the same token,
 * never refreshed, is the clock: its 4001 marks the expiry); a connection still
 * handshaking refreshes itself once confirmed; reconnects use the new token; refusals
 * are collected per path.
 */
import { randomUUID } from 'node:crypto';
import { NOTIFICATIONS_PATH, ROOMS_PATH, channelPath } from '@switchboard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../server/test/support/client.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import { TokenRefreshError, type ClientOptions, type SwitchboardClient } from '../src/index.js';
import { baseUrl, createClient } from './support/clients.js';
import { Gate, Recorder } from './support/recorder.js';
import { TcpProxy } from './support/tcp-proxy.js';

let server: TestServer;
const clients: SwitchboardClient[] = [];
const sockets: TestClient[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnectAll();
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  for (const proxy of proxies.splice(0)) await proxy.close();
});

function client(options: ClientOptions, url = baseUrl(server.port)): SwitchboardClient {
  const created = createClient(url, options);
  clients.push(created);
  return created;
}

/** A user id of its own per test: the per-user connection limit and closes stay out of the way. */
function user(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

function expOf(token: string): number {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp;
}

describe('client.refreshToken', () => {
  it('keeps every open connection past the old token’s expiry, and reconnects with the new token', async () => {
    const dave = user('dave');
    const short = await server.token(dave, { expiresInSeconds: 2 });
    const long = await server.token(dave, { expiresInSeconds: 3600 });
    const twin = await TestClient.connect(server.wsUrl(ROOMS_PATH, short));
    sockets.push(twin);
    await twin.next('system');

    // No getToken: the client's own token, given as an option.
    const tcp = await TcpProxy.start(server.port);
    proxies.push(tcp);
    const sb = client({ token: short }, baseUrl(tcp.port));
    const [roomsConnection, notificationsConnection] = [sb.rooms(), sb.notifications()];
    const rooms = new Recorder(roomsConnection);
    const notifications = new Recorder(notificationsConnection);
    await Promise.all([rooms.nextState('open'), notifications.nextState('open')]);

    // Another client is still in getToken (old token) when its refresh happens.
    const gate = new Gate();
    const late = client({
      getToken: async () => {
        await gate.opened;
        return short;
      },
    });
    const lateConnection = late.rooms();
    const lateRooms = new Recorder(lateConnection);

    expect(await sb.refreshToken(long)).toEqual({
      refreshed: { [ROOMS_PATH]: expOf(long), [NOTIFICATIONS_PATH]: expOf(long) },
      skipped: [],
    });
    expect(sb.token).toBe(long);
    expect(await late.refreshToken(long)).toEqual({ refreshed: {}, skipped: [ROOMS_PATH] });
    gate.open();
    // Authenticated with the old token: it sends the new one itself once confirmed.
    await lateRooms.nextState('open');

    expect(await twin.closed).toEqual({ code: 4001, reason: 'Token expired' });
    // Expiry is swept for every connection at once: had these not been refreshed, they would be closed too.
    await Promise.all([roomsConnection.request('ping'), notificationsConnection.request('ping'), lateConnection.request('ping')]);
    expect([rooms.states, notifications.states, lateRooms.states]).toEqual([['open'], ['open'], ['open']]);
    // The refresh replies were the client's own: not dispatched to handlers.
    expect(rooms.messages.filter((m) => m.type === 'token_refreshed')).toEqual([]);

    // The network drops; the reconnect authenticates with the new token (the old one has expired).
    tcp.cut();
    await Promise.all([rooms.nextState('open'), notifications.nextState('open')]);
    expect(rooms.states).toEqual(['open', 'reconnecting', 'open']);
    expect(rooms.retries.map((retry) => retry.refreshToken)).toEqual([false]);
  });

  it('rejects with the error of each path that refused the token; connections that are not open are skipped', async () => {
    const erin = user('erin');
    const sb = client({ getToken: () => server.token(erin) });
    const roomsConnection = sb.rooms();
    const rooms = new Recorder(roomsConnection);
    const notifications = new Recorder(sb.notifications());
    const missingChannel = randomUUID();
    const gone = new Recorder(sb.channel(missingChannel));
    await Promise.all([rooms.nextState('open'), notifications.nextState('open'), gone.nextState('closed')]);

    const error = await sb.refreshToken(await server.token(user('mallory'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenRefreshError);
    const { failures, result } = error as TokenRefreshError;
    expect(Object.keys(failures).sort()).toEqual([NOTIFICATIONS_PATH, ROOMS_PATH].sort());
    for (const failure of Object.values(failures)) expect(failure).toMatchObject({ name: 'RequestError', code: 'forbidden' });
    expect(result).toEqual({ refreshed: {}, skipped: [channelPath(missingChannel)] });

    // A refusal closes nothing and reaches no handler.
    await roomsConnection.request('ping');
    expect(rooms.states).toEqual(['open']);
    expect(rooms.messages.filter((m) => m.type === 'error')).toEqual([]);
    await expect(sb.refreshToken('')).rejects.toThrow(TypeError);
  });
});
