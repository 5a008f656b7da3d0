// The relay's throughput and memory: the same bytes (1 GiB, BENCH_RELAY_BYTES) from one device
// of an admin account to another over /ws, beside a bare `node:http` pipe relay (one POST piped
// into one waiting GET, in a child process) measured in the same run.
//   1. baseline: the pipe relay's MB/s and CPU seconds per GiB;
//   2. same replica: both sockets through one gateway to one relay: MB/s, ratio to the baseline
//      (target >= 0.80), CPU per GiB of gateway + relay (target <= 1.2), SHA-256 at the receiver;
//   3. slow receiver: a receiver reading 10x slower than the baseline (its socket paused and
//      resumed to a schedule) while the relay's RSS is sampled every 100 ms: the peak must stay
//      within 2 x RELAY_HIGH_WATER_BYTES of the RSS just before (backpressure, WS-04);
//   4. cross replica: the sender on gateway 1 (relay 1), the receiver on a second gateway whose
//      RELAY_WS_ADDRESS is a second relay replica: ratio to the baseline (target >= 0.5); reported
//      as failed with its reason, not thrown, while the replicas cannot forward.
// Both ends are plain clients in this process. The sender sends a prepared frame again and again
// (a client reading a file into a buffer behind the 16-byte prefix copies nothing either) and
// knows its checksum beforehand; the receivers hash every byte, in the baseline too. Frames carry
// BENCH_RELAY_FRAME_BYTES of payload (default 1 MiB less the prefix, the largest the relay takes:
// the fastest of 64 KiB, 256 KiB and 1 MiB on the 2-core VM), masked as a browser must; the
// sender waits for ws's `bufferedAmount` to drop below 4 MiB before it sends more.
// `benchRelay(platform, admin, prefix, ports)` is called by tools/bench/bench.mjs;
// `node tools/bench/relay.mjs` runs it alone on a platform of its own.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { EXTRA_METRICS_PORT_OFFSET, startGateway } from '../platform/platform.mjs';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BYTES = Number(process.env.BENCH_RELAY_BYTES ?? GiB);
/** At most; fewer when the paced receiver would take longer than SLOW_SECONDS (never under 64 MiB). */
const SLOW_BYTES = Number(process.env.BENCH_RELAY_SLOW_BYTES ?? Math.min(BYTES, 256 * MiB));
const SLOW_SECONDS = 15;
const ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 2);
/** The 16-byte transfer id before every frame's payload (api.md § Bytes). */
const PREFIX_BYTES = 16;
/** The relay closes a frame over 1 MiB (prefix included) with 1009. */
const FRAME_PAYLOAD = Number(process.env.BENCH_RELAY_FRAME_BYTES ?? MiB - PREFIX_BYTES);
/** What the sender lets ws hold before it waits: a client streaming a file, not buffering it. */
const SEND_WINDOW_BYTES = 4 * MiB;
/** The relay's default RELAY_HIGH_WATER_BYTES. */
const DEFAULT_HIGH_WATER_BYTES = 4 * MiB;
const SLOWDOWN = 10;
/** A transfer whose receiver got nothing new for this long has failed (the bench does not hang). */
const STALL_MS = 15_000;
const TARGETS = { sameReplicaRatio: 0.8, cpuPerGiB: 1.2, crossReplicaRatio: 0.5 };

const mbPerSecond = (bytes, seconds) => bytes / 1e6 / seconds;
const perGiB = (seconds, bytes) => seconds / (bytes / GiB);

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's resident memory now, in bytes. */
function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs `fn` and measures its wall time and the CPU seconds each of `pids` spent meanwhile. */
async function measured(pids, fn) {
  const before = pids.map(cpuSeconds);
  const start = process.hrtime.bigint();
  const value = await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { value, seconds, cpu: pids.map((pid, index) => cpuSeconds(pid) - before[index]) };
}

/** The bytes every transfer carries: one pattern chunk, frame-sized, back to back (n mod 251 repeats no frame boundary). */
function patternChunk(length) {
  const chunk = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) chunk[index] = index % 251;
  return chunk;
}

/** SHA-256 of `total` bytes of `chunk` repeated: what the sender declares and the receiver must get. */
function expectedDigest(chunk, total) {
  const hash = createHash('sha256');
  for (let offset = 0; offset < total; offset += chunk.length) hash.update(chunk.subarray(0, total - offset));
  return hash.digest('hex');
}

// ---- the baseline: a bare node:http pipe relay in a child process ----

/** The child's side: GET /pipe?bytes=N waits; the next POST /pipe is piped into it unchanged. */
function servePipeRelay() {
  let waiting = null;
  const server = http.createServer((request, response) => {
    if (request.method === 'GET') {
      const bytes = new URL(request.url, 'http://pipe.invalid').searchParams.get('bytes');
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes });
      response.flushHeaders(); // tells the receiver it is waiting, so the sender may start
      waiting = response;
      return;
    }
    const receiver = waiting;
    waiting = null;
    if (!receiver) return response.writeHead(409).end();
    pipeline(request, receiver).then(
      () => response.writeHead(204).end(),
      () => response.writeHead(502).end(),
    );
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
}

async function startPipeRelay() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--pipe-relay'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = await Promise.race([
    new Promise((resolve) => lines.once('line', (first) => resolve([first]))),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`pipe relay exited (${code})`)))),
  ]);
  const { port } = JSON.parse(line);
  return {
    url: `http://127.0.0.1:${port}/pipe`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill()))),
  };
}

/** One pass through the pipe relay: the receiver waits first, then the sender posts; resolves with the receiver's digest. */
function pipeOnce(url, chunk, total) {
  return new Promise((resolve, reject) => {
    const receiving = http.get(`${url}?bytes=${total}`, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`pipe GET answered ${response.statusCode}`));
      const hash = createHash('sha256');
      let bytes = 0;
      response.on('data', (part) => {
        bytes += part.length;
        hash.update(part);
      });
      response.on('end', () => resolve({ bytes, digest: hash.digest('hex') }));
      response.on('error', reject);
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent >= total) return this.push(null);
          const length = Math.min(chunk.length, total - sent);
          sent += length;
          this.push(chunk.subarray(0, length));
        },
      });
      const sending = http.request(url, { method: 'POST', headers: { 'content-length': String(total) } }, (answer) =>
        answer.resume(),
      );
      sending.on('error', reject);
      pipeline(body, sending).catch(reject);
    });
    receiving.on('error', reject);
  });
}

// ---- the platform: an admin account, its devices and their sockets ----

async function api(baseUrl, method, path, { token, body } = {}) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

/**
 * A fresh account moved into the `admin` group in the benchmark's own auth database (admin has
 * no speed limit), then signed in again so its token says so.
 */
async function adminSession(gatewayUrl, admin, prefix) {
  const email = `relay-bench-${Date.now().toString(36)}@bench.lexy.test`;
  const password = 'relay bench password 1';
  const { user } = await api(gatewayUrl, 'POST', '/auth/register', { body: { email, password } });
  await admin.query(`UPDATE ${prefix}_auth.users SET group_name = 'admin' WHERE id = ?`, [user.id]);
  const session = await api(gatewayUrl, 'POST', '/auth/login', { body: { email, password } });
  if (session.user.group !== 'admin') throw new Error(`the bench account is in group ${session.user.group}`);
  return session.accessToken;
}

/** A device's socket on `/ws` of one gateway, keeping its events until asked for them. */
class DeviceSocket {
  constructor(gatewayUrl, token, deviceId) {
    this.deviceId = deviceId;
    this.events = [];
    this.waiters = [];
    this.closedWith = null;
    const url = `${gatewayUrl.replace(/^http/, 'ws')}/ws?deviceId=${encodeURIComponent(deviceId)}`;
    this.ws = new WebSocket(url, ['lexy.v1', token], { perMessageDeflate: false });
    this.ws.on('error', (error) => (this.closedWith ??= `socket error: ${error.message}`));
    this.ws.on('close', (code, reason) => {
      this.closedWith = `socket closed ${code}${reason.length > 0 ? ` ${reason}` : ''}`;
      this.wake();
    });
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.events.push(JSON.parse(data.toString()));
      this.wake();
    });
  }

  wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  send(event) {
    this.ws.send(JSON.stringify(event));
  }

  /** The first event of `type` (matching `where`) not taken yet; rejects on timeout or a closed socket. */
  async next(type, where = () => true, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((event) => event.type === type && where(event));
      if (index >= 0) return this.events.splice(index, 1)[0];
      if (this.closedWith) throw new Error(`${this.closedWith} while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  close() {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', resolve);
      this.ws.close();
    });
  }
}

async function connectedDevice(gatewayUrl, token, name) {
  const { device } = await api(gatewayUrl, 'POST', '/devices', { token, body: { name, platform: 'web' } });
  const socket = new DeviceSocket(gatewayUrl, token, device.id);
  await socket.next('ready');
  return socket;
}

/** An accepted relay transfer of one file of `total` bytes from `sender` to `receiver`. */
async function acceptedTransfer(gatewayUrl, token, sender, receiver, total) {
  const { transfer } = await api(gatewayUrl, 'POST', '/transfers', {
    token,
    body: {
      fromDeviceId: sender.deviceId,
      toDeviceId: receiver.deviceId,
      files: [{ name: 'relay-bench.bin', size: total, mimeType: 'application/octet-stream' }],
      mode: 'relay',
    },
  });
  await api(gatewayUrl, 'POST', `/transfers/${transfer.id}/accept`, { token });
  const isThis = (event) => event.transfer?.id === transfer.id;
  await Promise.all([sender.next('transfer.accepted', isThis), receiver.next('transfer.accepted', isThis)]);
  return transfer.id;
}

const idBytes = (id) => Buffer.from(id.replaceAll('-', ''), 'hex');

/** Sends `total` bytes of `chunk` repeated, one frame per chunk, waiting whenever ws holds more than the window. */
async function sendFrames(socket, transferId, chunk, total) {
  const frame = Buffer.concat([idBytes(transferId), chunk]);
  const writes = [];
  for (let offset = 0; offset < total; offset += chunk.length) {
    const length = Math.min(chunk.length, total - offset);
    const written = new Promise((resolve, reject) =>
      socket.ws.send(frame.subarray(0, PREFIX_BYTES + length), { binary: true }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    written.catch(() => undefined); // awaited below, or its error shows in a later one
    writes.push(written);
    // ws calls back in order as frames reach the kernel: the oldest flushed is the buffer dropping.
    while (socket.ws.bufferedAmount > SEND_WINDOW_BYTES) await writes.shift();
    if (writes.length > 64) writes.splice(0, writes.length - 64);
  }
  await Promise.all(writes);
}

/**
 * Hashes the payload of the transfer's frames until `total` bytes came; with `bytesPerSecond`,
 * pauses the receiver's TCP socket whenever it is ahead of that schedule (a slow reader).
 */
function receiveFrames(socket, transferId, total, { bytesPerSecond } = {}) {
  const prefix = idBytes(transferId);
  const hash = createHash('sha256');
  const tcp = socket.ws._socket;
  const progress = { bytes: 0, lastAt: Date.now() };
  const start = Date.now();
  let resumeTimer;
  const done = new Promise((resolve, reject) => {
    const onMessage = (data, isBinary) => {
      if (!isBinary) return;
      if (!data.subarray(0, PREFIX_BYTES).equals(prefix)) {
        socket.ws.off('message', onMessage);
        return reject(new Error('a frame of another transfer'));
      }
      const payload = data.subarray(PREFIX_BYTES);
      hash.update(payload);
      progress.bytes += payload.length;
      progress.lastAt = Date.now();
      if (progress.bytes >= total) {
        socket.ws.off('message', onMessage);
        clearTimeout(resumeTimer);
        tcp.resume();
        return resolve({ bytes: progress.bytes, digest: hash.digest('hex') });
      }
      if (bytesPerSecond && resumeTimer === undefined) {
        const aheadMs = start + (progress.bytes / bytesPerSecond) * 1000 - Date.now();
        if (aheadMs > 1) {
          tcp.pause();
          resumeTimer = setTimeout(() => {
            resumeTimer = undefined;
            tcp.resume();
          }, aheadMs);
        }
      }
    };
    socket.ws.on('message', onMessage);
  });
  return { done, progress, stop: () => clearTimeout(resumeTimer) };
}

/**
 * Rejects with what went wrong: the transfer failed (its code), either socket closed, or the
 * receiver got nothing for STALL_MS; never resolves. `cancel()` stops watching.
 */
function watchFailure(sender, receiver, transferId, progress) {
  const cleanups = [];
  let timer;
  const watching = new Promise((_, reject) => {
    for (const socket of [sender, receiver]) {
      const onMessage = (data, isBinary) => {
        if (isBinary) return;
        const event = JSON.parse(data.toString());
        if (event.type === 'transfer.failed' && event.transfer?.id === transferId) {
          reject(new Error(`transfer.failed ${event.transfer.failureCode}`));
        }
      };
      const onClose = (code, reason) => reject(new Error(`socket closed ${code} ${reason}`.trim()));
      socket.ws.on('message', onMessage);
      socket.ws.on('close', onClose);
      cleanups.push(() => (socket.ws.off('message', onMessage), socket.ws.off('close', onClose)));
    }
    const check = () => {
      if (Date.now() - progress.lastAt > STALL_MS) reject(new Error(`no bytes arrived for ${STALL_MS / 1000} s`));
      else timer = setTimeout(check, 500);
    };
    timer = setTimeout(check, 500);
  });
  watching.catch(() => undefined);
  return { watching, cancel: () => (clearTimeout(timer), cleanups.forEach((cleanup) => cleanup())) };
}

/** The reason `failure` gives within a second (a failed transfer says why; a refused send does not), else `error`. */
async function explained(error, failure) {
  let timer;
  const reason = await Promise.race([
    failure.watching.catch((cause) => cause),
    new Promise((resolve) => (timer = setTimeout(() => resolve(error), 1_000))),
  ]);
  clearTimeout(timer);
  return reason;
}

/**
 * One relayed transfer of `total` bytes, timed from the first frame to the receiver's last byte
 * (the same window as the baseline), then confirmed with its checksum until both devices hear
 * `transfer.completed`. `pids`: the processes whose CPU is counted.
 */
async function relayOnce({ gatewayUrl, token, sender, receiver, chunk, total, digest, pids, pace, onStart }) {
  const transferId = await acceptedTransfer(gatewayUrl, token, sender, receiver, total);
  onStart?.();
  const receiving = receiveFrames(receiver, transferId, total, pace);
  const failure = watchFailure(sender, receiver, transferId, receiving.progress);
  try {
    const { seconds, cpu, value } = await measured(pids, () =>
      Promise.race([
        Promise.all([sendFrames(sender, transferId, chunk, total), receiving.done]).then(([, got]) => got),
        failure.watching,
      ]),
    ).catch(async (error) => {
      throw await explained(error, failure);
    });
    sender.send({ type: 'transfer.sent', transferId, sha256: [digest] });
    const forThis = (event) => event.transferId === transferId || event.transfer?.id === transferId;
    const announced = await Promise.race([receiver.next('transfer.sent', forThis), failure.watching]);
    const ok = announced.sha256?.[0] === value.digest;
    receiver.send({ type: 'transfer.received', transferId, ok });
    await Promise.race([
      Promise.all([sender.next('transfer.completed', forThis), receiver.next('transfer.completed', forThis)]),
      failure.watching,
    ]);
    return { seconds, cpu, checksumOk: ok && value.digest === digest };
  } finally {
    receiving.stop();
    failure.cancel();
  }
}

/** Samples `pid`'s RSS every 100 ms until stopped; returns the peak. */
function sampleRss(pid) {
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 100);
  return () => (clearInterval(timer), Math.max(peak, rssBytes(pid)));
}

/** The relay's RSS at rest: the median of a few samples 100 ms apart. */
async function idleRss(pid) {
  const samples = [];
  for (let index = 0; index < 5; index += 1) {
    samples.push(rssBytes(pid));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return samples.sort((a, b) => a - b)[2];
}

/** Cross replica: a second gateway with its own relay (as every gateway runs one, ADR 0011); the receiver connects there. */
async function crossReplica({ platform, token, sender, chunk, digest, ports, baselineRate }) {
  let gateway2;
  let receiver;
  try {
    gateway2 = await startGateway({
      env: platform.env,
      port: ports.gateway2,
      relay: {
        port: ports.relay2,
        wsPort: ports.relay2Ws,
        peerPort: ports.relay2Peer,
        metricsPort: ports.relay2 + EXTRA_METRICS_PORT_OFFSET,
      },
    });
    receiver = await connectedDevice(gateway2.url, token, 'Bench tablet');
    const pids = [
      platform.processes.gateway.pid,
      platform.processes.relay.pid,
      gateway2.process.pid,
      gateway2.relayPid(),
    ];
    const run = await relayOnce({
      gatewayUrl: platform.gatewayUrl,
      token,
      sender,
      receiver,
      chunk,
      total: BYTES,
      digest,
      pids,
    });
    const rate = mbPerSecond(BYTES, run.seconds);
    return {
      ok: true,
      rate,
      ratio: rate / baselineRate,
      cpuPerGiB: perGiB(
        run.cpu.reduce((sum, seconds) => sum + seconds, 0),
        BYTES,
      ),
      checksumOk: run.checksumOk,
    };
  } catch (error) {
    return { ok: false, reason: error.message };
  } finally {
    await receiver?.close();
    await gateway2?.stop();
  }
}

/** The relay rows for a summary (bench.mjs prints them with its own). */
export function relaySummaryLines(figures) {
  const { baseline, sameReplica, slow, cross } = figures;
  return [
    `relay     pipe ${baseline.rate.toFixed(1)} MB/s   same replica ${sameReplica.rate.toFixed(1)} MB/s   ratio ${sameReplica.ratio.toFixed(2)} (target >= ${TARGETS.sameReplicaRatio.toFixed(2)})`,
    `relay CPU per GiB: gateway + relay ${sameReplica.cpuPerGiB.toFixed(2)} s (target <= ${TARGETS.cpuPerGiB}), pipe ${baseline.cpuPerGiB.toFixed(2)} s`,
    `relay slow receiver: peak RSS +${(slow.growth / MiB).toFixed(1)} MiB over idle (target <= ${(slow.allowed / MiB).toFixed(0)} MiB)`,
    cross.ok
      ? `relay cross-replica ${cross.rate.toFixed(1)} MB/s   ratio ${cross.ratio.toFixed(2)} (target >= ${TARGETS.crossReplicaRatio.toFixed(2)})`
      : `relay cross-replica: failed (${cross.reason})`,
  ];
}

/**
 * The relay benchmark against a running platform. `admin`: a MySQL connection as root, to move
 * the bench account into `admin` in `${prefix}_auth`; `ports`: free ports for the second relay
 * replica (relay2, relay2Ws, relay2Peer) and the second gateway (gateway2).
 */
export async function benchRelay(platform, admin, prefix, ports) {
  const highWater = Number(platform.env.RELAY_HIGH_WATER_BYTES ?? DEFAULT_HIGH_WATER_BYTES);
  const chunk = patternChunk(FRAME_PAYLOAD);
  const digest = expectedDigest(chunk, BYTES);
  const gatewayPid = platform.processes.gateway.pid;
  const relayPid = platform.processes.relay.pid;

  const token = await adminSession(platform.gatewayUrl, admin, prefix);
  const sender = await connectedDevice(platform.gatewayUrl, token, 'Bench laptop');
  const receiver = await connectedDevice(platform.gatewayUrl, token, 'Bench phone');
  try {
    const common = { gatewayUrl: platform.gatewayUrl, token, sender, receiver, chunk };
    const { baseline, sameReplica } = await fullSpeed({ common, digest, gatewayPid, relayPid });
    const slow = await slowReceiver({ common, relayPid, baselineRate: baseline.rate, highWater });
    const cross = await crossReplica({ platform, token, sender, chunk, digest, ports, baselineRate: baseline.rate });
    const figures = { baseline, sameReplica, slow, cross };
    printTable(figures);
    return figures;
  } finally {
    await Promise.all([sender.close(), receiver.close()]);
  }
}

/** Rounds of the baseline and the same-replica relay, one after the other, BYTES each. */
async function fullSpeed({ common, digest, gatewayPid, relayPid }) {
  const pipe = await startPipeRelay();
  const baselineRuns = [];
  const relayRuns = [];
  try {
    for (let round = 1; round <= ROUNDS; round += 1) {
      const piped = await measured([pipe.pid], () => pipeOnce(pipe.url, common.chunk, BYTES));
      if (piped.value.bytes !== BYTES || piped.value.digest !== digest)
        throw new Error('the pipe relay changed the bytes');
      baselineRuns.push(piped);
      relayRuns.push(await relayOnce({ ...common, total: BYTES, digest, pids: [gatewayPid, relayPid] }));
    }
  } finally {
    await pipe.stop();
  }
  const fastest = (runs) => runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
  // CPU: the most any round took (the conservative figure, as bench.mjs reports the gateway's).
  const mostCpu = (runs, pick) => Math.max(...runs.map((run) => perGiB(pick(run.cpu), BYTES)));
  const baseline = {
    rate: mbPerSecond(BYTES, fastest(baselineRuns).seconds),
    cpuPerGiB: mostCpu(baselineRuns, ([pipeCpu]) => pipeCpu),
  };
  const rate = mbPerSecond(BYTES, fastest(relayRuns).seconds);
  const sameReplica = {
    rate,
    ratio: rate / baseline.rate,
    cpuPerGiB: mostCpu(relayRuns, ([gateway, relay]) => gateway + relay),
    gatewayCpuPerGiB: mostCpu(relayRuns, ([gateway]) => gateway),
    relayCpuPerGiB: mostCpu(relayRuns, ([, relay]) => relay),
    checksumOk: relayRuns.every((run) => run.checksumOk),
  };
  return { baseline, sameReplica };
}

/** SLOW_BYTES to a receiver reading at a tenth of the baseline, the relay's RSS sampled from just before. */
async function slowReceiver({ common, relayPid, baselineRate, highWater }) {
  const pacedAt = (baselineRate * 1e6) / SLOWDOWN;
  const total = Math.min(SLOW_BYTES, Math.max(64 * MiB, Math.floor(pacedAt * SLOW_SECONDS)));
  const idle = await idleRss(relayPid);
  let stopSampling = () => idle;
  let run;
  let peak;
  try {
    run = await relayOnce({
      ...common,
      total,
      digest: expectedDigest(common.chunk, total),
      pids: [relayPid],
      pace: { bytesPerSecond: pacedAt },
      onStart: () => (stopSampling = sampleRss(relayPid)),
    });
  } finally {
    peak = stopSampling();
  }
  return {
    bytes: total,
    rate: mbPerSecond(total, run.seconds),
    pacedAt: pacedAt / 1e6,
    idle,
    peak,
    growth: peak - idle,
    allowed: 2 * highWater,
    checksumOk: run.checksumOk,
  };
}

function printTable({ baseline, sameReplica, slow, cross }) {
  const mark = (ok) => (ok ? 'ok' : 'OFF TARGET');
  console.log(`
Relay: ${(BYTES / GiB).toFixed(2)} GiB, best of ${ROUNDS} rounds, frames of ${FRAME_PAYLOAD} payload bytes, admin account
  baseline  node:http pipe ${baseline.rate.toFixed(1)} MB/s, CPU ${baseline.cpuPerGiB.toFixed(2)} s per GiB
  same      ${sameReplica.rate.toFixed(1)} MB/s   ratio ${sameReplica.ratio.toFixed(2)} (target >= ${TARGETS.sameReplicaRatio.toFixed(2)}) ${mark(sameReplica.ratio >= TARGETS.sameReplicaRatio)}
            CPU per GiB gateway + relay ${sameReplica.cpuPerGiB.toFixed(2)} s (target <= ${TARGETS.cpuPerGiB}) ${mark(sameReplica.cpuPerGiB <= TARGETS.cpuPerGiB)}: gateway ${sameReplica.gatewayCpuPerGiB.toFixed(2)} s, relay ${sameReplica.relayCpuPerGiB.toFixed(2)} s
            SHA-256 at the receiver ${sameReplica.checksumOk ? 'equal' : 'DIFFERENT'}
  slow      ${(slow.bytes / MiB).toFixed(0)} MiB to a receiver paced at ${slow.pacedAt.toFixed(1)} MB/s (baseline / ${SLOWDOWN}): ${slow.rate.toFixed(1)} MB/s
            relay RSS idle ${(slow.idle / MiB).toFixed(1)} MiB, peak ${(slow.peak / MiB).toFixed(1)} MiB: +${(slow.growth / MiB).toFixed(1)} MiB (target <= 2 x high water = ${(slow.allowed / MiB).toFixed(0)} MiB) ${mark(slow.growth <= slow.allowed)}
            SHA-256 at the receiver ${slow.checksumOk ? 'equal' : 'DIFFERENT'}
  cross     ${
    cross.ok
      ? `${cross.rate.toFixed(1)} MB/s   ratio ${cross.ratio.toFixed(2)} (target >= ${TARGETS.crossReplicaRatio.toFixed(2)}) ${mark(cross.ratio >= TARGETS.crossReplicaRatio)}, CPU per GiB of 2 gateways + 2 relays ${cross.cpuPerGiB.toFixed(2)} s, SHA-256 ${cross.checksumOk ? 'equal' : 'DIFFERENT'}`
      : `cross-replica: failed (${cross.reason})`
  }
`);
}

// Ports below 32768, the kernel's range for outgoing connections' own ports, so no busy client takes one first.
if (import.meta.main) {
  if (process.argv[2] === '--pipe-relay') servePipeRelay();
  else {
    const { runStandalone } = await import('./standalone.mjs');
    await runStandalone(
      {
        prefix: 'lexy_bench_relay',
        ports: {
          gateway: 22080,
          auth: 22051,
          files: 22052,
          quotas: 22053,
          cleanup: 22054,
          relay: 22055,
          relayWs: 22056,
          relayPeer: 22057,
          gatewayMetrics: 22060,
          authMetrics: 22061,
          filesMetrics: 22062,
          quotasMetrics: 22063,
          relayMetrics: 22064,
          s3: 22090,
        },
      },
      (platform, admin) =>
        benchRelay(platform, admin, 'lexy_bench_relay', {
          gateway2: 22082,
          relay2: 22058,
          relay2Ws: 22059,
          relay2Peer: 22070,
        }),
    );
  }
}
