// The Node floor: a minimal `ws` relay with the same JWT check and room broadcast,
// no envelope, no validation, no limits. Relays the client's frame text as is.
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT);
const secret = new TextEncoder().encode(process.env.JWT_SECRET);
const rooms = new Map();
const http = createServer();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });

http.on('upgrade', async (request, socket, head) => {
  socket.on('error', () => {});
  const token = new URL(request.url, 'http://x').searchParams.get('token') ?? '';
  let userId;
  try {
    userId = (await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp'] })).payload.sub;
  } catch {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.on('error', () => {});
    ws.rooms = new Set();
    ws.send(JSON.stringify({ type: 'system', user_id: userId }));
    ws.on('message', (data) => {
      const text = data.toString();
      const message = JSON.parse(text);
      if (message.type === 'join') {
        let members = rooms.get(message.room);
        if (!members) rooms.set(message.room, (members = new Set()));
        members.add(ws);
        ws.rooms.add(message.room);
        ws.send('{"type":"joined"}');
      } else if (message.type === 'message') {
        for (const member of rooms.get(message.room) ?? []) member.send(text);
      }
    });
    ws.on('close', () => {
      for (const room of ws.rooms) rooms.get(room)?.delete(ws);
    });
  });
});

http.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
