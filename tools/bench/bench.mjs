// `npm run bench`: moves 1 GiB through the gateway (a PUT, a tus upload and a download) and,
// in the same run, directly into the same S3 endpoint with the `minio` client, and prints
// throughput, the ratio gateway/direct for each, and the gateway's peak RSS; then pickup
// lookups beside a bare node:http server (pickup-lookup.mjs) and the download throttle
// (throttle.mjs), the cleanup worker purging 10,000 files (purge.mjs), and the relay moving
// 1 GiB between two devices over /ws beside a bare node:http pipe (relay.mjs). Timings vary on
// a shared machine, so only the ratios measured here side by side mean anything.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';
import { createConnection } from 'mysql2/promise';
import { buildAll } from '../dev/build.mjs';
import { SERVICES, startPlatform } from '../platform/platform.mjs';
import { runThrottleBench } from './throttle.mjs';
import { benchPickupLookup } from './pickup-lookup.mjs';
import { benchPurge } from './purge.mjs';
import { benchRelay, relaySummaryLines } from './relay.mjs';

const SIZE = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PORTS = {
  gateway: 28080,
  auth: 25051,
  files: 25052,
  quotas: 25053,
  s3: 29000,
  cleanup: 25054,
  relay: 25055,
  relayWs: 25056,
  relayPeer: 25057,
  gatewayMetrics: 24050,
  authMetrics: 24051,
  filesMetrics: 24052,
  quotasMetrics: 24053,
  relayMetrics: 24054,
};
/** The relay bench's second gateway and second relay replica (cross-replica). */
const RELAY_BENCH_PORTS = { gateway2: 28082, relay2: 25058, relay2Ws: 25059, relay2Peer: 25060 };
const PREFIX = 'lexy_bench';
const PART_SIZE = 16 * 1024 * 1024;

function source(size) {
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i += 64) createHash('sha512').update(String(i)).digest().copy(chunk, i);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const length = Math.min(chunk.length, size - sent);
      sent += length;
      this.push(chunk.subarray(0, length));
    },
  });
}

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

/**
 * Writes the page cache's dirty pages to disk. Each round writes gigabytes into the S3 data
 * directory; without this, the kernel writes them back during the phases that follow, and
 * that work (and the throttling of writers past the dirty limit) lands in their timings and
 * CPU figures instead of the phase that caused it.
 */
const settleDisk = () => execFileSync('sync');

async function timed(fn) {
  settleDisk();
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function gatewayPut(url, size) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'PUT', headers: { 'content-length': String(size) } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 201
          ? resolve(JSON.parse(body).file)
          : reject(new Error(`${response.statusCode} ${body}`)),
      );
    });
    request.on('error', reject);
    pipeline(source(size), request).catch(reject);
  });
}

/** A tus upload as a client sends it on a good connection: create, then one PATCH of the whole body. */
async function tusPut(baseUrl, size) {
  const created = await fetch(`${baseUrl}/api/v1/uploads`, {
    method: 'POST',
    headers: { 'tus-resumable': '1.0.0', 'upload-length': String(size), 'upload-metadata': 'filename YmVuY2guYmlu' },
  });
  if (created.status !== 201) throw new Error(`tus creation answered ${created.status} ${await created.text()}`);
  const location = new URL(created.headers.get('location'), baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      location,
      {
        method: 'PATCH',
        headers: {
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(size),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 204 && response.headers['x-pickup-code']
            ? resolve(response.headers['x-pickup-code'])
            : reject(new Error(`tus PATCH answered ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    pipeline(source(size), request).catch(reject);
  });
}

function gatewayGet(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`download answered ${response.statusCode}`));
        pipeline(response, sink()).then(resolve, reject);
      })
      .on('error', reject);
  });
}

function peakRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Fields of /proc/<pid>/stat after the command name (so field 3 of proc(5) is index 0). */
const procStat = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Minor page faults of a process so far: pages the kernel had to hand it again. */
const pageFaults = (pid) => Number(procStat(pid)[7]);

const mb = (bytes, seconds) => bytes / 1e6 / seconds;

console.log('Building...');
buildAll();

const admin = await createConnection({ host: '127.0.0.1', user: 'root', password: process.env.MYSQL_PASSWORD ?? '' });
for (const db of SERVICES) await admin.query(`DROP DATABASE IF EXISTS ${PREFIX}_${db}`);

const dataDir = mkdtempSync(join(tmpdir(), 'lexy-bench-s3-'));
// Its own pickup-limiter keys, so locks left by tests or earlier runs on this machine do not apply.
// The cleanup worker ticks every 5 s, so the purge run starts soon after its files fall due.
const base = {
  ...process.env,
  PICKUP_REDIS_PREFIX: `lexy:bench:${Date.now().toString(36)}:pickup:`,
  CLEANUP_INTERVAL_SECONDS: '5',
};
const platform = await startPlatform({ base, ports: PORTS, databasePrefix: PREFIX, dataDir, log: () => undefined });
try {
  // The benchmark's own database only: lift the anonymous limits so 1 GiB fits and moves at
  // full speed (the throttle has its own benchmark, tools/bench/throttle.mjs).
  await admin.query(
    `UPDATE ${PREFIX}_quotas.\`groups\` SET max_file_bytes = NULL, storage_bytes = NULL,
       download_bytes_per_second = NULL, traffic_bytes = NULL, traffic_window = NULL WHERE name = 'anonymous'`,
  );
  const endpoint = new URL(platform.s3Endpoint);
  const minio = new Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: 'lexy-local',
    secretKey: 'lexy-local-secret',
    partSize: PART_SIZE,
  });
  const bucket = platform.env.S3_BUCKET;
  const results = { directPut: [], gatewayPut: [], tusPut: [], directGet: [], gatewayGet: [] };
  const gatewayPid = platform.processes.gateway.pid;
  const cpu = { gatewayPut: 0, tusPut: 0, gatewayGet: 0 };
  const faults = { gatewayPut: 0, tusPut: 0, gatewayGet: 0 };
  const rss = { gatewayPut: 0, tusPut: 0, gatewayGet: 0 };
  // Counts the gateway's CPU time and peak RSS of a phase, so a figure off target can be traced.
  const onGateway = async (phase, fn) => {
    writeFileSync(`/proc/${gatewayPid}/clear_refs`, '5'); // resets the peak (VmHWM)
    const before = cpuSeconds(gatewayPid);
    const faultsBefore = pageFaults(gatewayPid);
    const seconds = await timed(fn);
    cpu[phase] = Math.max(cpu[phase], cpuSeconds(gatewayPid) - before);
    faults[phase] = Math.max(faults[phase], pageFaults(gatewayPid) - faultsBefore);
    rss[phase] = Math.max(rss[phase], peakRss(gatewayPid));
    return seconds;
  };

  for (let round = 1; round <= ROUNDS; round += 1) {
    const key = `bench/direct-${round}`;
    results.directPut.push(await timed(() => minio.putObject(bucket, key, source(SIZE), SIZE)));
    let file;
    results.gatewayPut.push(
      await onGateway('gatewayPut', async () => {
        file = await gatewayPut(`${platform.gatewayUrl}/api/v1/files/bench-${round}.bin`, SIZE);
      }),
    );
    results.tusPut.push(await onGateway('tusPut', () => tusPut(platform.gatewayUrl, SIZE)));
    results.directGet.push(await timed(async () => pipeline(await minio.getObject(bucket, key), sink())));
    results.gatewayGet.push(
      await onGateway('gatewayGet', () =>
        gatewayGet(`${platform.gatewayUrl}/api/v1/files/pickup/${file.code}/download`),
      ),
    );
    await minio.removeObject(bucket, key);
    console.log(`round ${round}/${ROUNDS} done`);
  }

  const best = (list) => Math.min(...list);
  const rate = (name) => mb(SIZE, best(results[name]));
  const upload = rate('gatewayPut') / rate('directPut');
  const tusRatio = rate('tusPut') / rate('directPut');
  const downloadRatio = rate('gatewayGet') / rate('directGet');

  // ---- the relay (tools/bench/relay.mjs): /ws between two devices beside a bare node:http pipe ----
  settleDisk();
  const relay = await benchRelay(platform, admin, PREFIX, RELAY_BENCH_PORTS);
  console.log(`
Benchmark: ${(SIZE / 1024 ** 3).toFixed(2)} GiB, best of ${ROUNDS} rounds, same S3 endpoint
  upload    direct ${rate('directPut').toFixed(1)} MB/s   gateway ${rate('gatewayPut').toFixed(1)} MB/s   ratio ${upload.toFixed(2)} (target >= 0.90)
  tus       direct ${rate('directPut').toFixed(1)} MB/s   gateway ${rate('tusPut').toFixed(1)} MB/s   ratio ${tusRatio.toFixed(2)} (target >= 0.90)
  download  direct ${rate('directGet').toFixed(1)} MB/s   gateway ${rate('gatewayGet').toFixed(1)} MB/s   ratio ${downloadRatio.toFixed(2)} (target >= 0.90)
  gateway peak RSS upload ${(rss.gatewayPut / 1e6).toFixed(0)} MB, tus ${(rss.tusPut / 1e6).toFixed(0)} MB, download ${(rss.gatewayGet / 1e6).toFixed(0)} MB (target <= 200 MB)
  gateway CPU per GiB: upload ${(cpu.gatewayPut / (SIZE / 1024 ** 3)).toFixed(2)} s, tus ${(cpu.tusPut / (SIZE / 1024 ** 3)).toFixed(2)} s, download ${(cpu.gatewayGet / (SIZE / 1024 ** 3)).toFixed(2)} s
  gateway page faults per GiB: upload ${Math.round(faults.gatewayPut / (SIZE / 1024 ** 3))}, download ${Math.round(faults.gatewayGet / (SIZE / 1024 ** 3))}
${relaySummaryLines(relay)
  .map((line) => `  ${line}`)
  .join('\n')}
`);

  // ---- pickup lookups (tools/bench/pickup-lookup.mjs): req/s and p50/p99 beside bare node:http ----
  await benchPickupLookup(platform);

  // ---- purge (tools/bench/purge.mjs): 10,000 due files while pickup lookups run ----
  await benchPurge(platform, admin, PREFIX);
} finally {
  await platform.stop();
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}

// ---- download throttle (tools/bench/throttle.mjs): needs the seeded anonymous limits, so its own platform ----
console.log('\nDownload throttle (30 s + 2 x 15 s)...');
await runThrottleBench({ build: false });
