// Plain `ws` clients speaking each contender's protocol. Deliveries are recognised and
// their send stamp extracted without JSON.parse, so the load generator stays cheap.
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { JWT_SECRET } from './servers.mjs';

const key = new TextEncoder().encode(JWT_SECRET);

export function signToken(userId) {
  return new SignJWT({ token_type: 'access', name: `User ${userId}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(key);
}

/** Microseconds on the load generator's monotonic clock (sender and receivers share it). */
export const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/** A 64-character text carrying a send stamp. */
export function stampedText(stampMicros) {
  return String(stampMicros).padEnd(64, '.');
}

function stampOf(text) {
  const at = text.indexOf('"text":"');
  if (at === -1) return -1;
  let value = 0;
  for (let i = at + 8; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

const adapters = {
  switchboard: {
    url: (port, token) => `ws://127.0.0.1:${port}/api/v1/ws?token=${token}`,
    onOpen() {},
    handle(client, text) {
      if (text.startsWith('{"type":"message"')) return client.onDelivery(stampOf(text));
      if (!client.ready && text.startsWith('{"type":"system"')) return client.markReady();
      if (text.includes('"ref":"join"')) client.markJoined();
    },
    join: (ws, room) => ws.send(`{"type":"join_room","room":"${room}","ref":"join"}`),
    publish: (ws, room, text) => ws.send(`{"type":"message","room":"${room}","text":"${text}"}`),
  },
  socketio: {
    url: (port) => `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    onOpen() {},
    handle(client, text) {
      if (text.startsWith('42["message"')) return client.onDelivery(stampOf(text));
      if (text === '2') return client.ws.send('3'); // engine.io ping → pong
      if (text.startsWith('0{')) return client.ws.send(`40{"token":"${client.token}"}`);
      if (text.startsWith('42["system"')) return client.markReady();
      if (text.startsWith('42["joined"')) client.markJoined();
    },
    join: (ws, room) => ws.send(`42["join_room","${room}"]`),
    publish: (ws, room, text) => ws.send(`42["message",{"room":"${room}","text":"${text}"}]`),
  },
  raw: {
    url: (port, token) => `ws://127.0.0.1:${port}/?token=${token}`,
    onOpen() {},
    handle(client, text) {
      if (text.startsWith('{"type":"message"')) return client.onDelivery(stampOf(text));
      if (text.startsWith('{"type":"system"')) return client.markReady();
      if (text === '{"type":"joined"}') client.markJoined();
    },
    join: (ws, room) => ws.send(`{"type":"join","room":"${room}"}`),
    publish: (ws, room, text) => ws.send(`{"type":"message","room":"${room}","text":"${text}"}`),
  },
};

export class BenchClient {
  constructor(kind, port, token, onDelivery = () => {}) {
    this.adapter = adapters[kind];
    this.token = token;
    this.onDelivery = onDelivery;
    this.ready = false;
    this.ws = new WebSocket(this.adapter.url(port, token), { perMessageDeflate: false });
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.ws.once('close', (code) => reject(new Error(`closed ${code} before ready`)));
    });
    this.opened.catch(() => {});
    this.ws.on('message', (data) => this.adapter.handle(this, data.toString()));
  }

  markReady() {
    this.ready = true;
    this.resolveReady();
  }

  markJoined() {
    this.resolveJoined?.();
    this.resolveJoined = undefined;
  }

  join(room) {
    const joined = new Promise((resolve) => (this.resolveJoined = resolve));
    this.adapter.join(this.ws, room);
    return joined;
  }

  publish(room, text) {
    this.adapter.publish(this.ws, room, text);
  }

  close() {
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.ws.terminate();
      return Promise.resolve();
    }
    const closed = new Promise((resolve) => this.ws.once('close', resolve));
    this.ws.close();
    return closed;
  }
}

/** Opens `count` ready clients with at most `concurrency` handshakes in flight. */
export async function openClients(kind, port, count, { concurrency = 200, userPrefix = 'u', onDelivery } = {}) {
  const tokens = await Promise.all(Array.from({ length: count }, (_, i) => signToken(`${userPrefix}${i}`)));
  const clients = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const client = new BenchClient(kind, port, tokens[i], onDelivery);
      clients[i] = client;
      await client.opened;
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return clients;
}

export function closeAll(clients) {
  return Promise.all(clients.filter(Boolean).map((c) => c.close()));
}
