import { ShutdownState } from '@lexy/server-shutdown';
import { jest } from '@jest/globals';
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  RELAY_CHILD_MALLOC_TUNABLES,
  RELAY_CHILD_NODE_FLAGS,
  RelayChild,
  relayChildExecArgv,
  relayChildTunables,
} from '../src/relay/relay-child.js';
import { forwardedHeaders } from '../src/relay/websocket-forwarding.js';

const STAND_IN = fileURLToPath(new URL('./fixtures/relay-stand-in.mjs', import.meta.url));

describe('relayChildExecArgv', () => {
  it('keeps the gateway’s flags but its young-generation size, and adds the relay’s', () => {
    expect(relayChildExecArgv(['--max-semi-space-size=1', '--enable-source-maps'])).toEqual([
      '--enable-source-maps',
      ...RELAY_CHILD_NODE_FLAGS,
    ]);
    expect(relayChildExecArgv([])).toEqual(RELAY_CHILD_NODE_FLAGS);
  });
});

describe('relayChildTunables', () => {
  it('sets the relay’s malloc settings, and puts an operator’s own after them, where glibc lets them win', () => {
    expect(relayChildTunables(undefined)).toBe(RELAY_CHILD_MALLOC_TUNABLES);
    expect(relayChildTunables('')).toBe(RELAY_CHILD_MALLOC_TUNABLES);
    expect(relayChildTunables('glibc.malloc.trim_threshold=1')).toBe(
      `${RELAY_CHILD_MALLOC_TUNABLES}:glibc.malloc.trim_threshold=1`,
    );
  });
});

/** A real child process (the stand-in) and real sockets handed to it from a real HTTP server. */
describe('RelayChild', () => {
  let child: RelayChild;
  let server: http.Server;
  const opened = jest.fn<() => void>();
  const closed = jest.fn<() => void>();

  async function start(mode = ''): Promise<jest.Mock<(code: number | null) => void>> {
    const crashed = jest.fn<(code: number | null) => void>();
    child = new RelayChild(STAND_IN, { ...process.env, STAND_IN_MODE: mode });
    child.start(crashed);
    server = http.createServer();
    server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
      const handed = child.handOver(request, forwardedHeaders(request.rawHeaders, '203.0.113.9'), socket, head, () => {
        opened();
        return closed;
      });
      if (!handed) socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return crashed;
  }

  /** An upgrade request to the test server; resolves with the status and body of the answer. */
  function upgrade(): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      const request = http.request({
        host: '127.0.0.1',
        port,
        path: '/ws?deviceId=d1',
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'x-forwarded-for': '198.51.100.1' },
      });
      request.on('response', async (response) => {
        let body = '';
        for await (const part of response) body += String(part);
        resolve({ status: response.statusCode ?? 0, body });
      });
      request.on('error', reject);
      request.end();
    });
  }

  const until = async (condition: () => boolean) => {
    for (let tries = 0; tries < 200 && !condition(); tries += 1) await new Promise((r) => setTimeout(r, 25));
    expect(condition()).toBe(true);
  };

  beforeEach(() => {
    opened.mockClear();
    closed.mockClear();
  });

  afterEach(async () => {
    await child.stop(new ShutdownState(2_000));
    // After the relay: a server whose sockets were handed over still closes once it has gone.
    await new Promise((resolve) => server.close(resolve));
  });

  it('hands each socket to the child process, which answers it; the gateway only counts it', async () => {
    const crashed = await start();
    await until(() => child.accepting);
    const answer = await upgrade();
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as { pid: number; url: string; forwardedFor: string; mallocTunables: string };
    expect(seen.pid).toBe(child.pid);
    expect(seen.pid).not.toBe(process.pid);
    expect(seen.mallocTunables).toBe(relayChildTunables(process.env['GLIBC_TUNABLES']));
    expect(seen.url).toBe('/ws?deviceId=d1');
    // The address the gateway resolved, not the hop the client claimed (PC-03).
    expect(seen.forwardedFor).toBe('203.0.113.9');
    expect(opened).toHaveBeenCalledTimes(1);
    await until(() => closed.mock.calls.length === 1);
    expect(crashed).not.toHaveBeenCalled();
  });

  it('leaves the bytes that come while the socket is being handed over to the relay, reading none of them', async () => {
    await start('echo');
    await until(() => child.accepting);
    // The stand-in takes the socket late: until it has, this process still holds the descriptor,
    // and bytes it read then would be lost (nodejs/node#8353; a device's auth frame, in the e2e).
    const pid = child.pid;
    expect(pid).toEqual(expect.any(Number));
    process.kill(pid!, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    let received = '';
    client.on('data', (part: Buffer) => (received += part.toString()));
    await once(client, 'connect');
    const handedOver = once(server, 'upgrade');
    client.write('GET /ws HTTP/1.1\r\nHost: gateway\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    await handedOver;
    client.write('the first frame');
    await until(() => received.includes('the first frame'));
    expect(received.startsWith('HTTP/1.1 101 ')).toBe(true);
    client.destroy();
  });

  it('takes no socket before the relay said it is ready', async () => {
    await start('silent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.accepting).toBe(false);
    expect((await upgrade()).status).toBe(503);
    expect(opened).not.toHaveBeenCalled();
  });

  it('stops the relay with SIGTERM and waits for it, which is no crash', async () => {
    const crashed = await start();
    await until(() => child.accepting);
    await expect(child.stop(new ShutdownState(2_000))).resolves.toBe('drained');
    expect(child.accepting).toBe(false);
    expect(crashed).not.toHaveBeenCalled();
  });

  it('reports a relay that died on its own, and counts its sockets closed', async () => {
    const crashed = await start('crash');
    await until(() => child.accepting);
    await upgrade().catch(() => undefined);
    await until(() => crashed.mock.calls.length === 1);
    expect(crashed.mock.calls[0]?.[0]).toBe(7);
    expect(closed).toHaveBeenCalledTimes(opened.mock.calls.length);
    expect(child.accepting).toBe(false);
  });
});
