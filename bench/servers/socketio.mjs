// Socket.IO 4.x doing what Switchboard's rooms endpoint does: JWT check at connect,
// join a room, broadcast room messages. WebSocket transport only, compression off.
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const secret = new TextEncoder().encode(process.env.JWT_SECRET);
const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, httpCompression: false, serveClient: false });

io.use(async (socket, next) => {
  try {
    const { payload } = await jwtVerify(socket.handshake.auth?.token ?? '', secret, { algorithms: ['HS256'], requiredClaims: ['exp'] });
    socket.data.userId = payload.sub;
    next();
  } catch {
    next(new Error('Authentication failed'));
  }
});

io.on('connection', (socket) => {
  socket.emit('system', { message: 'Connected successfully', user_id: socket.data.userId });
  socket.on('join_room', (room) => {
    socket.join(room);
    socket.emit('joined', room);
  });
  socket.on('message', (message) => {
    io.to(message.room).emit('message', { from: socket.data.userId, room: message.room, text: message.text });
  });
});

http.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
