// A minimal WebSocket handshake over a plain TCP socket, for the connect-rate scenario:
// the load generator must be much cheaper per connection than the servers it measures,
// and a full `ws` client (key hashing, parser, event objects) is not.
import { connect } from 'node:net';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** A masked client text frame (mask key 0, which leaves the payload as is). */
function clientFrame(text) {
  const payload = Buffer.from(text);
  if (payload.length >= 65536) throw new Error('handshake frames are short');
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff, 0, 0, 0, 0]);
  return Buffer.concat([header, payload]);
}

const PATHS = {
  switchboard: (token) => `/api/v1/ws?token=${token}`,
  socketio: () => '/socket.io/?EIO=4&transport=websocket',
  raw: (token) => `/?token=${token}`,
};

/**
 * Opens a connection and resolves with the socket once the server's welcome arrived
 * (Switchboard/raw: the `system` message; Socket.IO: the `system` event after CONNECT).
 */
export function handshake(kind, port, token) {
  return new Promise((resolve, reject) => {
    // One request per connection: Nagle never holds it back, so no setNoDelay syscall.
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let upgraded = false;
    let sentConnect = false;
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before welcome')));
    socket.on('connect', () => {
      socket.write(
        `GET ${PATHS[kind](token)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!received.startsWith('HTTP/1.1 101')) return reject(new Error(received.slice(0, 40)));
        upgraded = true;
        received = received.slice(end + 4);
      }
      if (kind === 'socketio' && !sentConnect && received.includes('0{')) {
        sentConnect = true;
        socket.write(clientFrame(`40{"token":"${token}"}`));
      }
      if (received.includes('system')) {
        socket.removeAllListeners('close');
        socket.removeAllListeners('data');
        resolve(socket);
      }
    });
  });
}
