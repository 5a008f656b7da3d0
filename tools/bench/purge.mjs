// Purge throughput (issue 8, security-cases.md F13): 10,000 files past their redemption window
// are purged by the cleanup worker (object, storage release, row) while pickup lookups run, and
// the lookups' p95 latency is compared before and during the purge (target: purge <= 60 s,
// p95 degradation <= 20 %). The files are seeded straight into the platform's databases and
// bucket (as 10,000 uploads would leave them, each one 1 KiB object, one ledger row), with their
// redemption window still open; the clock starts when the window of all of them ends at once.
// `benchPurge(platform, admin, prefix)` is called by tools/bench/bench.mjs on its own platform.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { Client } from 'minio';

const TARGET_SECONDS = 60;
const TARGET_DEGRADATION = 0.2;
const OWNER = 'bench-purge-owner';
const OBJECT_BYTES = 1024;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Puts `count` objects with `concurrency` requests in flight. */
async function putObjects(minio, bucket, keys, concurrency = 32) {
  const body = randomBytes(OBJECT_BYTES);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < keys.length) {
        const key = keys[next++];
        await minio.putObject(bucket, key, Readable.from([body]), OBJECT_BYTES);
      }
    }),
  );
}

async function seed(platform, admin, prefix, count) {
  const endpoint = new URL(platform.s3Endpoint);
  const minio = new Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: 'lexy-local',
    secretKey: 'lexy-local-secret',
  });
  const files = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    key: `files/BENCHPURGE${String(index).padStart(8, '0')}`,
  }));
  await putObjects(
    minio,
    platform.env.S3_BUCKET,
    files.map((file) => file.key),
  );
  for (let start = 0; start < files.length; start += 1000) {
    const batch = files.slice(start, start + 1000);
    await admin.query(
      `INSERT INTO ${prefix}_files.files (id, upload_id, owner_id, reservation_id, name, mime_type, size_bytes,
         sha256, object_key, status, created_at, expires_at, purge_at, downloads) VALUES ?`,
      [
        batch.map((file) => [
          file.id,
          randomUUID(),
          OWNER,
          randomUUID(),
          'bench.bin',
          'application/octet-stream',
          OBJECT_BYTES,
          '0'.repeat(64),
          file.key,
          'expired',
          new Date(Date.now() - 8 * 86_400_000),
          new Date(Date.now() - 86_400_000),
          new Date(Date.now() + 3_600_000),
          0,
        ]),
      ],
    );
    await admin.query(`INSERT INTO ${prefix}_quotas.stored_files (file_id, owner_id, bytes, created_at) VALUES ?`, [
      batch.map((file) => [file.id, OWNER, OBJECT_BYTES, new Date()]),
    ]);
  }
  await admin.query(
    `INSERT INTO ${prefix}_quotas.storage_accounts (owner_id, used_bytes, reserved_bytes, updated_at)
       VALUES (?, ?, 0, UTC_TIMESTAMP(3))`,
    [OWNER, count * OBJECT_BYTES],
  );
}

/** Looks `url` up with `connections` keep-alive callers until `stop()`; resolves the latencies (ms) and failures. */
function lookupLoad(url, connections = 8) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let failures = 0;
  let running = true;
  const once = () =>
    new Promise((resolve) => {
      const start = process.hrtime.bigint();
      http
        .get(url, { agent }, (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
            else failures += 1;
            resolve();
          });
        })
        .on('error', () => {
          failures += 1;
          resolve();
        });
    });
  const callers = Array.from({ length: connections }, async () => {
    while (running) await once();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(callers);
      agent.destroy();
      return { latencies: latencies.sort((a, b) => a - b), failures };
    },
  };
}

async function uploadLookupTarget(gatewayUrl) {
  const response = await fetch(`${gatewayUrl}/api/v1/files/purge-bench.txt`, { method: 'PUT', body: 'look me up' });
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return `${gatewayUrl}/api/v1/files/pickup/${(await response.json()).file.code}`;
}

const remaining = async (admin, prefix) =>
  Number((await admin.query(`SELECT COUNT(*) AS n FROM ${prefix}_files.files WHERE owner_id = ?`, [OWNER]))[0][0].n);

export async function benchPurge(platform, admin, prefix, { count = 10_000, baselineSeconds = 10 } = {}) {
  console.log(`\nPurge: seeding ${count} files...`);
  await seed(platform, admin, prefix, count);
  const url = await uploadLookupTarget(platform.gatewayUrl);

  // The seeding's aftermath (database and disk flushes) and the JIT settle before the baseline.
  const warmUp = lookupLoad(url);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  await warmUp.stop();
  const before = lookupLoad(url);
  await new Promise((resolve) => setTimeout(resolve, baselineSeconds * 1000));
  const baseline = await before.stop();

  const during = lookupLoad(url);
  const start = process.hrtime.bigint();
  await admin.query(
    `UPDATE ${prefix}_files.files SET purge_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE owner_id = ?`,
    [OWNER],
  );
  const deadline = Date.now() + 5 * TARGET_SECONDS * 1000;
  let left = count;
  while (left > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = await remaining(admin, prefix);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const loaded = await during.stop();

  const [[account]] = await admin.query(`SELECT used_bytes FROM ${prefix}_quotas.storage_accounts WHERE owner_id = ?`, [
    OWNER,
  ]);
  const [[ledger]] = await admin.query(`SELECT COUNT(*) AS n FROM ${prefix}_quotas.stored_files WHERE owner_id = ?`, [
    OWNER,
  ]);
  const p95Before = percentile(baseline.latencies, 0.95);
  const p95During = percentile(loaded.latencies, 0.95);
  const degradation = p95During / p95Before - 1;
  console.log(`
Purge: ${count} due files, one cleanup worker (CLEANUP_INTERVAL_SECONDS=${platform.env.CLEANUP_INTERVAL_SECONDS ?? 60}, batch ${platform.env.CLEANUP_BATCH_SIZE ?? 500}, at most ${platform.env.CLEANUP_PURGE_FILES_PER_SECOND ?? 250} files/s)
  purged ${count - left} in ${seconds.toFixed(1)} s (${((count - left) / seconds).toFixed(0)} files/s, target <= ${TARGET_SECONDS} s), left ${left}
  storage after: used ${Number(account?.used_bytes ?? 0)} bytes, ${Number(ledger.n)} ledger rows (both 0 when every release happened once)
  pickup lookup p95 before ${p95Before.toFixed(1)} ms (${baseline.latencies.length} lookups), during ${p95During.toFixed(1)} ms (${loaded.latencies.length}): ${(degradation * 100).toFixed(0)} % (target <= ${TARGET_DEGRADATION * 100} %)
  failed lookups: before ${baseline.failures}, during ${loaded.failures}
`);
  return { seconds, left, p95Before, p95During, degradation };
}

if (import.meta.main) {
  const { runStandalone } = await import('./standalone.mjs');
  await runStandalone(
    {
      prefix: 'lexy_bench_purge',
      ports: {
        gateway: 27080,
        auth: 27051,
        files: 27052,
        quotas: 27053,
        s3: 27090,
        cleanup: 27054,
        relay: 27055,
        relayWs: 27056,
        relayPeer: 27057,
        gatewayMetrics: 27060,
        authMetrics: 27061,
        filesMetrics: 27062,
        quotasMetrics: 27063,
        relayMetrics: 27064,
      },
      env: { CLEANUP_INTERVAL_SECONDS: '5' },
    },
    (platform, admin) =>
      benchPurge(platform, admin, 'lexy_bench_purge', { count: Number(process.env.BENCH_PURGE_FILES ?? 10_000) }),
  );
}
