import type { Request, Response } from 'express';

const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

/**
 * After refusing an upload, reads and drops what the client is still sending so that
 * it can receive our answer, but only up to a bound: past it the connection is cut,
 * so nobody can keep the server busy with a body it already refused.
 */
export function discardRequestBody(request: Request, response: Response): void {
  response.setHeader('Connection', 'close');
  if (request.readableEnded || request.destroyed) return;
  let discarded = 0;
  request.unpipe();
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) request.socket.destroy();
  });
  request.resume();
}
