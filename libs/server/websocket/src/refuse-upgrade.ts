import { toEnvelope, type DomainError } from '@lexy/server-errors';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers an upgrade with an HTTP error in the JSON envelope, then drops the connection. */
export function refuseUpgrade(socket: Duplex, status: number, error: DomainError): void {
  const body = JSON.stringify(toEnvelope(error));
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
