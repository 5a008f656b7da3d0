import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { startGateway, startRelay, type GatewayReplica, type RelayReplica } from '../../../tools/platform/platform.mjs';
import { bearer, postJson, register } from './support/accounts.js';
import {
  eventually,
  gatewayUrl,
  json,
  newFingerprint,
  patternStream,
  sha256Of,
  uploadMultipart,
} from './support/e2e.js';
import { acceptedTransfer, MiB, patternDigests, receiveInto, sendPattern, waitFor } from './support/relay.js';
import { socketWithToken, TestSocket, socketUrl } from './support/sockets.js';

// Graceful shutdown (SIGTERM): an extra gateway replica, and an extra relay replica behind a
// gateway of its own, are started here and sent SIGTERM while work is in flight. Each must
// refuse new connections and report 503 at once, finish what is in flight, then exit 0.

const platformEnv = () => JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
const mainPort = () => Number(new URL(gatewayUrl()).port);
const ports = () => ({
  gateway: mainPort() + 8,
  relay: mainPort() + 1,
  relayWs: mainPort() + 2,
  relayPeer: mainPort() + 3,
});

const logs: string[] = [];
const log = (name: string, line: string) => logs.push(`[${name}] ${line}`);
const open: TestSocket[] = [];
const started: { stop(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
  await Promise.all(started.splice(0).map((replica) => replica.stop()));
});

/** Whether a TCP connection to the port is refused (nothing listens there any more). */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const statusOf = (url: string) => fetch(url).then((response) => response.status);
const metricsOf = (replica: { metricsUrl: string }) => fetch(`${replica.metricsUrl}/metrics`).then((r) => r.text());

/** SIGTERM, and how the process then exits. */
function terminate(process: import('node:child_process').ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => process.once('exit', (code) => resolve(code)));
  process.kill('SIGTERM');
  return exited;
}

interface Downloaded {
  status: number;
  bytes: number;
  sha256: string;
  /** The body reached its Content-Length. */
  complete: boolean;
}

/** A download whose reading the test controls: it stops reading after its first chunk until `resume`. */
function pausedDownload(url: string) {
  let response: http.IncomingMessage | undefined;
  let firstChunk: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstChunk = resolve));
  const finished = new Promise<Downloaded>((resolve, reject) => {
    http
      .get(url, { agent: false }, (answer) => {
        response = answer;
        const hash = createHash('sha256');
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          if (bytes === 0) {
            answer.pause();
            firstChunk();
          }
          bytes += chunk.length;
        });
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 0, bytes, sha256: hash.digest('hex'), complete: answer.complete }),
        );
        answer.on('error', reject);
      })
      .on('error', reject);
  });
  finished.catch(() => undefined);
  return { started, finished, resume: () => response?.resume() };
}

describe('a gateway replica on SIGTERM', () => {
  it('refuses new connections and says 503 at once, lets a slow download finish whole, keeps its WebSockets, then exits 0', async () => {
    // Slow by itself: an anonymous caller downloads at 3 MB/s (api.md § Groups), so this takes
    // about 4 s; and the client reads nothing more until the checks below are done.
    const size = 12 * MiB;
    const uploaded = await uploadMultipart(patternStream(size, 'drain'), {
      headers: { 'x-device-fingerprint': newFingerprint() },
    });
    expect(uploaded.status).toBe(201);
    const { code } = json(uploaded)['file'] as { code: string };
    const expectedSha = await sha256Of(patternStream(size, 'drain'));

    const replica: GatewayReplica = await startGateway({ env: platformEnv(), port: ports().gateway, log });
    started.push(replica);
    // A device's socket piped through the replica, before the signal.
    const session = await register();
    const device = json(await postJson('/devices', { name: 'Laptop', platform: 'web' }, bearer(session.accessToken)));
    const socket = socketWithToken(session.accessToken, (device['device'] as { id: string }).id, {}, replica.url);
    open.push(socket);
    await socket.next('ready');

    const slow = pausedDownload(`${replica.url}/api/v1/files/pickup/${code}/download`);
    await slow.started;
    const exited = terminate(replica.process);

    // Draining: health is 503 on the metrics port, and the public port takes no connection.
    expect(
      await eventually(
        () => statusOf(`${replica.metricsUrl}/health`),
        (status) => status === 503,
      ),
    ).toBe(503);
    expect(await eventually(() => refusesConnections(ports().gateway), Boolean)).toBe(true);
    const during = await metricsOf(replica);
    expect(during).toMatch(/^lexy_shutdown_draining 1$/m);
    expect(during).toMatch(/^lexy_gateway_active_downloads 1$/m);
    expect(during).toMatch(/^lexy_gateway_websocket_connections 1$/m);
    // The piped socket still carries frames both ways.
    socket.send({ type: 'ping' });
    await socket.next('pong');

    slow.resume();
    const downloaded = await slow.finished;
    expect(downloaded).toEqual({ status: 200, bytes: size, sha256: expectedSha, complete: true });
    // Still draining: the WebSocket is open, so the gateway waits for it rather than cut it.
    expect(replica.process.exitCode).toBeNull();
    await socket.close();

    expect(await exited).toBe(0);
    expect(logs.some((line) => line.includes('drained; closing') && line.includes('"http":"drained"'))).toBe(true);
    expect(logs.some((line) => line.includes('"webSockets":"drained"'))).toBe(true);
  }, 120_000);
});

describe('a relay replica on SIGTERM', () => {
  let relay: RelayReplica;
  let gateway: GatewayReplica;

  beforeEach(async () => {
    const { relay: port, relayWs, relayPeer } = ports();
    relay = await startRelay({ env: platformEnv(), port, wsPort: relayWs, peerPort: relayPeer, log });
    started.push(relay);
    gateway = await startGateway({
      env: { ...platformEnv(), RELAY_WS_ADDRESS: `127.0.0.1:${relayWs}` },
      port: ports().gateway,
      log,
    });
    started.push(gateway);
  }, 90_000);

  it('sends idle devices away with 1001 and takes no new socket, lets the running transfer complete, then exits 0', async () => {
    const sizes = [8 * MiB];
    const { sender, receiver, transferId, shown, session } = await acceptedTransfer(sizes, {
      open,
      senderGateway: gateway.url,
      receiverGateway: gateway.url,
    });
    const idleDevice = json(
      await postJson('/devices', { name: 'Tablet', platform: 'web' }, bearer(session.accessToken)),
    );
    const idle = socketWithToken(session.accessToken, (idleDevice['device'] as { id: string }).id, {}, gateway.url);
    open.push(idle);
    await idle.next('ready');

    const received = receiveInto(receiver, transferId, sizes);
    const half = sizes[0]! / 2;
    await sendPattern(sender, transferId, { until: half });
    await waitFor(() => received.bytes === half);

    const exited = terminate(relay.process);
    // The idle socket is told to go at once; the relay's port takes no new socket.
    expect((await idle.closed).code).toBe(1001);
    const refused = new TestSocket(socketUrl('', gateway.url));
    expect((await refused.refused).status).toBe(503);
    expect(
      await eventually(
        () => statusOf(`${relay.metricsUrl}/health`),
        (status) => status === 503,
      ),
    ).toBe(503);
    expect(await metricsOf(relay)).toMatch(/^lexy_relay_sessions 1$/m);

    // The transfer in flight goes on to its end, and both devices hear it.
    await sendPattern(sender, transferId, { from: half, until: sizes[0]! });
    sender.send({ type: 'transfer.sent', transferId, sha256: patternDigests(sizes) });
    await receiver.next('transfer.sent', () => true, 30_000);
    expect(received.hashes.digests()).toEqual(patternDigests(sizes));
    receiver.send({ type: 'transfer.received', transferId, ok: true });
    await Promise.all([sender.next('transfer.completed'), receiver.next('transfer.completed')]);
    expect(await shown()).toMatchObject({ status: 'completed', deliveredBytes: sizes[0] });

    // Then they go too, and the relay ends.
    expect([(await sender.closed).code, (await receiver.closed).code]).toEqual([1001, 1001]);
    const code = await exited;
    if (code !== 0)
      console.log(
        logs
          .filter((line) => line.startsWith('[relay'))
          .slice(-40)
          .join('\n'),
      );
    expect(code).toBe(0);
  }, 120_000);
});
