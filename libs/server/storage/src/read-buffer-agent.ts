import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** Size of each connection's reusable read buffer: one socket read, as Node's own default. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * A keep-alive agent for plain HTTP whose sockets read into one reusable buffer per
 * connection (`net` `onread`) instead of a fresh 64 KiB buffer per read.
 *
 * Node's HTTP client parses each read synchronously and copies body bytes out of it, so the
 * socket's own buffer is garbage as soon as the parser returns. For a gateway streaming GiBs
 * from storage those buffers are half of all the memory it allocates; as external memory they
 * trigger a full mark-compact every ~64 MiB and leave pages to fault in again. Reusing one
 * buffer halves both.
 */
export class ReadBufferAgent extends http.Agent {
  override createConnection(options: net.NetConnectOpts): Duplex {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const socket: net.Socket = net.createConnection({
      ...(options as net.TcpNetConnectOpts),
      onread: {
        buffer,
        // The parser copies what it keeps before `emit` returns, so the buffer is free again here.
        callback: (bytes: number, data: Uint8Array): boolean => {
          socket.emit('data', Buffer.from(data.buffer, data.byteOffset, bytes));
          return true; // flow control stays with the HTTP client, which pauses the socket itself
        },
      },
    });
    return socket;
  }
}
