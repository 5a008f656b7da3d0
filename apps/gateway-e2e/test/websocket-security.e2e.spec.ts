import net from 'node:net';
import WebSocket from 'ws';
import { startGateway, startRelay, type GatewayReplica, type RelayReplica } from '../../../tools/platform/platform.mjs';
import { bearer, postJson, register } from './support/accounts.js';
import { api, gatewayUrl, json, request } from './support/e2e.js';
import { socketUrl, socketWithToken, TestSocket } from './support/sockets.js';

// security-cases WS-01 (e), WS-02 (a revoked device) and WS-05 (floods, handshake abuse) on the
// devices' WebSocket, through public gateway ports. The handshake attacks and the cross-replica
// revocation use a gateway replica of this file, with a short headers timeout and its own relay
// replica behind it (its output captured, to grep for credentials).

const env = () => JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
const mainPort = () => Number(new URL(gatewayUrl()).port);
/** The replica's headers timeout: short, so a slowloris is dropped quickly. */
const HEADERS_TIMEOUT_SECONDS = 3;

let relay: RelayReplica;
let gateway: GatewayReplica;
const replicaLogs: string[] = [];

beforeAll(async () => {
  const log = (name: string, line: string) => replicaLogs.push(`[${name}] ${line}`);
  relay = await startRelay({
    env: env(),
    port: mainPort() + 7,
    wsPort: mainPort() + 8,
    peerPort: mainPort() + 9,
    log,
  });
  gateway = await startGateway({
    env: {
      ...env(),
      RELAY_WS_ADDRESS: `127.0.0.1:${mainPort() + 8}`,
      GATEWAY_HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_SECONDS),
    },
    port: mainPort() + 4,
    log,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await relay?.stop();
});

const open: TestSocket[] = [];
const track = (socket: TestSocket) => {
  open.push(socket);
  return socket;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

async function accountWithDevice() {
  const session = await register();
  const auth = bearer(session.accessToken);
  const response = await postJson('/devices', { name: 'Laptop', platform: 'web' }, auth);
  expect(response.status).toBe(201);
  return { token: session.accessToken, auth, deviceId: json(response).device.id as string };
}

const replicaSocketUrl = (query: string) => `${gateway.url.replace(/^http/, 'ws')}/ws${query}`;

async function expectHealthy(base: string) {
  const health = await request('GET', `${base}/api/v1/health`);
  expect(health.status).toBe(200);
}

/** Sends `head` on a raw connection and collects what comes back until the server closes. */
function rawExchange(port: number, head: string, deadlineMs = 15_000) {
  return new Promise<{ answer: string; closed: boolean }>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, deadlineMs);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
    socket.write(head);
  });
}

const UPGRADE_LINES = [
  'GET /ws HTTP/1.1',
  'Host: 127.0.0.1',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];

describe('floods (WS-05)', () => {
  it('closes a socket that sends 10,000 control frames at once with 1008', async () => {
    const { token, deviceId } = await accountWithDevice();
    const socket = track(socketWithToken(token, deviceId));
    await socket.next('ready');
    for (let frame = 0; frame < 10_000 && socket.ws.readyState === WebSocket.OPEN; frame += 1) {
      socket.send({ type: 'ping' });
    }
    expect((await socket.closed).code).toBe(1008);
  });

  it('leaves a socket at an ordinary pace open', async () => {
    const { token, deviceId } = await accountWithDevice();
    const socket = track(socketWithToken(token, deviceId));
    await socket.next('ready');
    for (let frame = 0; frame < 50; frame += 1) {
      socket.send({ type: 'ping' });
      await socket.next('pong');
    }
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('handshake abuse on the public port (WS-05)', () => {
  it('answers an upgrade with 2,000 headers with 431 or 400, and stays healthy', async () => {
    const port = mainPort() + 4;
    const many = Array.from({ length: 2_000 }, (_, index) => `X-Flood-${index}: value-${index}`);
    const big = await rawExchange(port, [...UPGRADE_LINES, ...many, '', ''].join('\r\n'));
    expect(big.answer).toMatch(/^HTTP\/1\.1 (431|400) /);
    await expectHealthy(gateway.url);

    // Tiny headers that fit within the header size limit: still no upgrade, still healthy.
    const tiny = Array.from({ length: 2_000 }, (_, index) => `a${index}:1`);
    const small = await rawExchange(port, [...UPGRADE_LINES, ...tiny, '', ''].join('\r\n'));
    expect(small.answer).toMatch(/^HTTP\/1\.1 (431|400|401) /);
    expect(small.answer).not.toMatch(/^HTTP\/1\.1 101/);
    await expectHealthy(gateway.url);
  });

  it('drops a slowloris upgrade (1 byte a second) at the headers timeout, and stays healthy', async () => {
    const socket = net.connect(mainPort() + 4, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    const drip = setInterval(() => socket.write('X'), 1_000);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    // A generous deadline: 3 s, swept every 750 ms; nothing but the timeout ends this request.
    const closed = await new Promise<boolean>((resolve) => {
      const deadline = setTimeout(() => resolve(false), 6 * HEADERS_TIMEOUT_SECONDS * 1000);
      socket.once('close', () => {
        clearTimeout(deadline);
        resolve(true);
      });
    });
    clearInterval(drip);
    socket.destroy();
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    await expectHealthy(gateway.url);
  }, 30_000);
});

describe('credentials in the URL (WS-01 e)', () => {
  it.each(['token', 'access_token'])('refuses ?%s= with 401 before the 101, even with a valid token', async (name) => {
    const { token, deviceId } = await accountWithDevice();
    const query = `?deviceId=${deviceId}&${name}=${encodeURIComponent(token)}`;
    for (const socket of [
      track(new TestSocket(socketUrl(query))),
      track(new TestSocket(socketUrl(query), ['lexy.v1', token])),
    ]) {
      let opened = false;
      void socket.opened.then(() => (opened = true));
      const refused = await socket.refused;
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      expect(opened).toBe(false);
    }
  });

  it('opens the socket once with a ticket from POST /devices/:id/ws-ticket; a replay is 401', async () => {
    const { auth, deviceId } = await accountWithDevice();
    const issued = await request('POST', api(`/devices/${deviceId}/ws-ticket`), { headers: auth });
    expect(issued.status).toBe(201);
    const { ticket, expiresIn } = json(issued);
    expect(expiresIn).toBe(60);
    expect(ticket).toEqual(expect.any(String));

    const first = track(new TestSocket(socketUrl(`?ticket=${encodeURIComponent(ticket)}`)));
    expect(await first.next('ready')).toEqual({ type: 'ready', deviceId });

    const replay = track(new TestSocket(socketUrl(`?ticket=${encodeURIComponent(ticket)}`)));
    const refused = await replay.refused;
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    const madeUp = track(new TestSocket(socketUrl('?ticket=made-up')));
    expect((await madeUp.refused).status).toBe(401);
  });

  it('issues tickets for the caller’s own devices only', async () => {
    const mine = await accountWithDevice();
    const theirs = await accountWithDevice();
    const foreign = await request('POST', api(`/devices/${theirs.deviceId}/ws-ticket`), { headers: mine.auth });
    expect(foreign.status).toBe(404);
    expect(json(foreign).error.code).toBe('NOT_FOUND');
    const anonymous = await request('POST', api(`/devices/${mine.deviceId}/ws-ticket`));
    expect(anonymous.status).toBe(401);
  });

  it('writes neither the ticket nor the token to the gateway’s and relay’s logs', async () => {
    const { token, auth, deviceId } = await accountWithDevice();
    const issued = await request('POST', `${gateway.url}/api/v1/devices/${deviceId}/ws-ticket`, { headers: auth });
    expect(issued.status).toBe(201);
    const { ticket } = json(issued);
    const socket = track(new TestSocket(replicaSocketUrl(`?ticket=${encodeURIComponent(ticket)}`)));
    expect((await socket.next('ready')).deviceId).toBe(deviceId);
    const replay = track(new TestSocket(replicaSocketUrl(`?ticket=${encodeURIComponent(ticket)}`)));
    expect((await replay.refused).status).toBe(401);
    const leaked = track(new TestSocket(replicaSocketUrl(`?deviceId=${deviceId}&token=${encodeURIComponent(token)}`)));
    expect((await leaked.refused).status).toBe(401);

    expect(replicaLogs.length).toBeGreaterThan(0);
    const logs = replicaLogs.join('\n');
    expect(logs).not.toContain(ticket);
    expect(logs).not.toContain(token);
  });
});

describe('a revoked device (WS-02)', () => {
  it('closes the device’s sockets on every relay replica with 4401; its heartbeat then answers 404', async () => {
    const { token, auth, deviceId } = await accountWithDevice();
    // One socket on the platform's relay, one on this file's relay replica.
    const here = track(socketWithToken(token, deviceId));
    const there = track(
      new TestSocket(replicaSocketUrl(`?deviceId=${encodeURIComponent(deviceId)}`), ['lexy.v1', token]),
    );
    await Promise.all([here.next('ready'), there.next('ready')]);

    const deleted = await request('DELETE', api(`/devices/${deviceId}`), { headers: auth });
    expect(deleted.status).toBe(204);
    const [closedHere, closedThere] = await Promise.all([here.closed, there.closed]);
    expect(closedHere.code).toBe(4401);
    expect(closedThere.code).toBe(4401);

    const heartbeat = await request('POST', api(`/devices/${deviceId}/heartbeat`), { headers: auth });
    expect(heartbeat.status).toBe(404);
    expect(json(heartbeat).error.code).toBe('NOT_FOUND');
    // And it cannot come back.
    const again = track(socketWithToken(token, deviceId));
    expect((await again.refused).status).toBe(401);
  });

  it('leaves the account’s other devices connected', async () => {
    const { token, auth, deviceId } = await accountWithDevice();
    const other = json(await postJson('/devices', { name: 'Phone', platform: 'android' }, auth)).device.id as string;
    const staying = track(socketWithToken(token, other));
    const going = track(socketWithToken(token, deviceId));
    await Promise.all([staying.next('ready'), going.next('ready')]);
    expect((await request('DELETE', api(`/devices/${deviceId}`), { headers: auth })).status).toBe(204);
    expect((await going.closed).code).toBe(4401);
    expect(await staying.next('device.offline')).toEqual({ type: 'device.offline', deviceId });
    staying.send({ type: 'ping' });
    expect(await staying.next('pong')).toEqual({ type: 'pong' });
  });
});
