import http from 'node:http';
import net from 'node:net';
import { applyServerLimits, serverLimits } from './server-limits.js';

const config = {
  GATEWAY_HEADERS_TIMEOUT_SECONDS: 20,
  GATEWAY_REQUEST_TIMEOUT_SECONDS: 300,
  GATEWAY_MAX_HEADERS_COUNT: 100,
};

describe('serverLimits', () => {
  it('turns the configuration into Node’s settings, sweeping often enough for the headers timeout', () => {
    expect(serverLimits(config)).toEqual({
      headersTimeout: 20_000,
      requestTimeout: 300_000,
      maxHeadersCount: 100,
      connectionsCheckingInterval: 5_000,
    });
    expect(serverLimits({ ...config, GATEWAY_HEADERS_TIMEOUT_SECONDS: 2 }).connectionsCheckingInterval).toBe(500);
  });

  it('keeps requestTimeout at least headersTimeout, and 0 as no limit', () => {
    expect(serverLimits({ ...config, GATEWAY_REQUEST_TIMEOUT_SECONDS: 5 }).requestTimeout).toBe(20_000);
    expect(serverLimits({ ...config, GATEWAY_REQUEST_TIMEOUT_SECONDS: 0 }).requestTimeout).toBe(0);
  });
});

describe('applyServerLimits', () => {
  it('drops a client that sends its head 1 byte a second once the headers timeout passes', async () => {
    const server = http.createServer((_request, response) => response.end('ok'));
    applyServerLimits(server, { ...config, GATEWAY_HEADERS_TIMEOUT_SECONDS: 1, GATEWAY_REQUEST_TIMEOUT_SECONDS: 1 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const client = net.connect(port, '127.0.0.1');
    client.write('GET /ws HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => client.write('X'), 200);
    let answer = '';
    client.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    // A generous deadline: the timeout is 1 s, checked every 250 ms.
    const closed = await new Promise<boolean>((resolve) => {
      const deadline = setTimeout(() => resolve(false), 10_000);
      client.once('close', () => {
        clearTimeout(deadline);
        resolve(true);
      });
    });
    clearInterval(drip);
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
