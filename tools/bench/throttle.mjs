// The download throttle, measured: one anonymous caller with 4 parallel ranged downloads
// through 2 gateway replicas for 30 s (target: within ±1 % of the anonymous 3 MB/s), then
// 50 throttled whole-file downloads on one gateway (target: at most 35 % of a core, read from
// /proc), each from its own caller and then all from one.
// `node tools/bench/throttle.mjs` runs it on a platform of its own; `benchThrottle` is the
// same measurement for a caller that starts the platform itself.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { buildAll } from '../dev/build.mjs';
import { SERVICES, startGateway, startPlatform } from '../platform/platform.mjs';

const PORTS = {
  gateway: 38080,
  auth: 35051,
  files: 35052,
  quotas: 35053,
  s3: 39000,
  cleanup: 35054,
  relay: 35055,
  relayWs: 35056,
  relayPeer: 35057,
  gatewayMetrics: 34050,
  authMetrics: 34051,
  filesMetrics: 34052,
  quotasMetrics: 34053,
  relayMetrics: 34054,
};
const SECOND_GATEWAY_PORT = 38081;
const PREFIX = 'lexy_bench_throttle';
const FILE_BYTES = 64 * 1024 * 1024;
const RANGE_BYTES = 4 * 1024 * 1024;
const WARM_UP_MS = 2_000;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function upload(gatewayUrl, size) {
  const chunk = Buffer.alloc(1 << 20, 7);
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const length = Math.min(chunk.length, size - sent);
      sent += length;
      this.push(chunk.subarray(0, length));
    },
  });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${gatewayUrl}/api/v1/files/throttle.bin`,
      { method: 'PUT', headers: { 'content-length': String(size) } },
      (response) => {
        let text = '';
        response.on('data', (part) => (text += part));
        response.on('end', () =>
          response.statusCode === 201
            ? resolve(JSON.parse(text).file)
            : reject(new Error(`${response.statusCode} ${text}`)),
        );
      },
    );
    request.on('error', reject);
    pipeline(body, request).catch(reject);
  });
}

/**
 * One stream: downloads one after another until `deadline`; counts the body bytes that arrived
 * from `counting.from` until it. `source` (X-Forwarded-For through the trusted local proxy) names the caller.
 * `ranged`: 4 MiB ranges, alternating between `urls`; otherwise whole-file downloads, as a
 * person downloading a file makes them (the 64 MiB file outlasts a 15 s phase at 3 MB/s).
 */
function stream({ urls, code, source, counting, deadline, offset, ranged }) {
  let bytes = 0;
  let turn = offset;
  const next = () =>
    new Promise((resolve) => {
      if (Date.now() >= deadline) return resolve(false);
      const start = ((turn * RANGE_BYTES) % (FILE_BYTES - RANGE_BYTES)) | 0;
      const url = `${urls[turn % urls.length]}/api/v1/files/pickup/${code}/download`;
      turn += 1;
      const range = ranged ? { range: `bytes=${start}-${start + RANGE_BYTES - 1}` } : {};
      const request = http.get(url, { headers: { ...range, 'x-forwarded-for': source } }, (response) => {
        if (response.statusCode !== (ranged ? 206 : 200)) {
          response.resume();
          return resolve(new Error(`download answered ${response.statusCode}`));
        }
        const stop = setTimeout(() => request.destroy(), Math.max(0, deadline - Date.now()));
        response.on('data', (chunk) => {
          const now = Date.now();
          if (now >= counting.from && now < deadline) bytes += chunk.length;
        });
        response.on('end', () => (clearTimeout(stop), resolve(true)));
        response.on('error', () => (clearTimeout(stop), resolve(false)));
        response.on('close', () => (clearTimeout(stop), resolve(Date.now() < deadline)));
      });
      request.on('error', () => resolve(false));
    });
  return (async () => {
    for (;;) {
      const more = await next();
      if (more instanceof Error) throw more;
      if (!more) return bytes;
    }
  })();
}

/** Runs `streams` for `seconds`; returns the bytes per second they got together and the gateways' CPU. */
async function measure({ urls, code, sources, streamsPerSource, seconds, pids, ranged = false }) {
  // Counting starts once every stream is under way: the first request of each (gRPC calls, the
  // first S3 read) is setup, not throttling, and would otherwise read as lost throughput.
  const counting = { from: Date.now() + WARM_UP_MS };
  const deadline = counting.from + seconds * 1000;
  const jobs = [];
  for (const source of sources) {
    for (let i = 0; i < streamsPerSource; i += 1) {
      jobs.push(stream({ urls, code, source, counting, deadline, offset: jobs.length, ranged }));
    }
  }
  await new Promise((resolve) => setTimeout(resolve, counting.from - Date.now()));
  const cpuBefore = pids.map(cpuSeconds);
  const bytes = (await Promise.all(jobs)).reduce((sum, n) => sum + n, 0);
  const cpu = pids.map((pid, i) => (cpuSeconds(pid) - cpuBefore[i]) / seconds);
  return { bytesPerSecond: bytes / seconds, cpuCores: cpu };
}

/**
 * @param {{ gatewayUrl: string, secondGatewayUrl: string, gatewayPids: number[], rate: number }} setup
 */
export async function benchThrottle({ gatewayUrl, secondGatewayUrl, gatewayPids, rate, log = console.log }) {
  const file = await upload(gatewayUrl, FILE_BYTES);
  const oneCaller = await measure({
    urls: [gatewayUrl, secondGatewayUrl],
    code: file.code,
    sources: ['203.0.113.10'],
    streamsPerSource: 4,
    seconds: 30,
    pids: gatewayPids,
    ranged: true,
  });
  const deviation = oneCaller.bytesPerSecond / rate - 1;
  log(
    `one caller, 4 ranged streams, 2 gateways, 30 s: ${(oneCaller.bytesPerSecond / 1e6).toFixed(4)} MB/s ` +
      `(${(deviation * 100).toFixed(2)} % off ${rate / 1e6} MB/s; target within ±1 %), ` +
      `gateway CPU ${oneCaller.cpuCores.map((c) => `${(c * 100).toFixed(1)} %`).join(' + ')}`,
  );
  const manyCallers = await measure({
    urls: [gatewayUrl],
    code: file.code,
    sources: Array.from({ length: 50 }, (_, i) => `198.18.1.${i + 1}`),
    streamsPerSource: 1,
    seconds: 15,
    pids: [gatewayPids[0]],
  });
  log(
    `50 throttled downloads (50 callers) on one gateway, 15 s: ${(manyCallers.bytesPerSecond / 1e6).toFixed(1)} MB/s, ` +
      `gateway CPU ${(manyCallers.cpuCores[0] * 100).toFixed(1)} % of a core (target <= 35 %)`,
  );
  const sharedCaller = await measure({
    urls: [gatewayUrl],
    code: file.code,
    sources: ['203.0.113.20'],
    streamsPerSource: 50,
    seconds: 15,
    pids: [gatewayPids[0]],
  });
  log(
    `50 throttled downloads of one caller on one gateway, 15 s: ${(sharedCaller.bytesPerSecond / 1e6).toFixed(3)} MB/s, ` +
      `gateway CPU ${(sharedCaller.cpuCores[0] * 100).toFixed(1)} % of a core`,
  );
  return { oneCaller, deviation, manyCallers, sharedCaller };
}

/** The throttle measurement on a platform of its own (the anonymous limits as seeded); builds first unless told not to. */
export async function runThrottleBench({ build = true } = {}) {
  if (build) {
    console.log('Building...');
    buildAll();
  }
  const admin = await createConnection({ host: '127.0.0.1', user: 'root', password: process.env.MYSQL_PASSWORD ?? '' });
  for (const db of SERVICES) await admin.query(`DROP DATABASE IF EXISTS ${PREFIX}_${db}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'lexy-bench-throttle-s3-'));
  const base = { ...process.env, TRUSTED_PROXIES: '127.0.0.1', GATEWAY_THROTTLE_PREFIX: `lexy:${PREFIX}:throttle:` };
  const platform = await startPlatform({ base, ports: PORTS, databasePrefix: PREFIX, dataDir, log: () => undefined });
  let second;
  try {
    // The benchmark's own database: room for the file and for every byte it downloads.
    await admin.query(`UPDATE ${PREFIX}_quotas.\`groups\` SET traffic_bytes = 1000000000000 WHERE name = 'anonymous'`);
    const [[{ rate }]] = await admin.query(
      `SELECT download_bytes_per_second AS rate FROM ${PREFIX}_quotas.\`groups\` WHERE name = 'anonymous'`,
    );
    second = await startGateway({ env: platform.env, port: SECOND_GATEWAY_PORT });
    await benchThrottle({
      gatewayUrl: platform.gatewayUrl,
      secondGatewayUrl: second.url,
      gatewayPids: [platform.processes.gateway.pid, second.process.pid],
      rate: Number(rate),
    });
  } finally {
    await second?.stop();
    await platform.stop();
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runThrottleBench();
