import type { Request, Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { discardRequestBody } from './discard-request-body.js';

/** A server that refuses every upload after its first chunk, as a refused upload does. */
async function refusingServer(): Promise<{ port: number; close(): Promise<void> }> {
  // A bare node:http server: the function only needs what express's objects inherit from it.
  const server = http.createServer((request, response) => {
    request.once('data', () => {
      discardRequestBody(request as Request, response as Response);
      response.statusCode = 413;
      response.end('{"error":{"code":"FILE_TOO_LARGE"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the open test's client never finishes its body
      }),
  };
}

/** Sends `declared` as Content-Length and a first piece of body; resolves with the answer's headers. */
function refusedHeaders(port: number, declared: number): Promise<http.IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': String(declared) } },
      (response) => {
        response.resume();
        resolve(response.headers);
      },
    );
    request.on('error', reject);
    request.write(Buffer.alloc(1000));
  });
}

describe('discardRequestBody', () => {
  let server: Awaited<ReturnType<typeof refusingServer>>;
  beforeAll(async () => (server = await refusingServer()));
  afterAll(() => server.close());

  // Closing right after the answer made a client that was still writing meet a reset, which can
  // take the answer with it (about 1 in 100 early refusals on loopback in a standalone loop).
  it('keeps the connection open while a body it will drain still arrives', async () => {
    expect((await refusedHeaders(server.port, 5000))['connection']).not.toBe('close');
  });

  it('closes the connection after refusing a body declared larger than it will drain', async () => {
    expect((await refusedHeaders(server.port, 1e9))['connection']).toBe('close');
  });
});
