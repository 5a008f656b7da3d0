// Pickup-lookup throughput: `GET /api/v1/files/pickup/:code` with a valid code through the
// gateway (CallerGuard, the pickup limits' Redis check, then the answer the gateway remembers
// for an open code, see docs/adr/0006), beside a bare `node:http` server answering the same
// JSON, both under the same autocannon load. Only the ratio means anything on a shared machine
// (target: gateway >= 0.20x the bare server). A second replica with PICKUP_CACHE_SECONDS=0
// shows the path of a first lookup (gRPC to files, MySQL) under the same load.
// `benchPickupLookup(platform)` is called by tools/bench/bench.mjs; `node tools/bench/pickup-lookup.mjs`
// runs it alone on a platform of its own.
import autocannon from 'autocannon';
import http from 'node:http';
import { startGateway } from '../platform/platform.mjs';

const TARGET_RATIO = 0.2;

/**
 * The limiter's share of a lookup: its Redis check alone (the one round trip before every
 * lookup), as fast as `connections` concurrent callers can issue it for `seconds`.
 */
async function benchLimiterCheck(redisUrl, { connections, seconds = 3 }) {
  const { Redis } = await import('ioredis');
  const { PickupLimitStore } = await import('../../apps/gateway/dist/pickup-guard/pickup-limit-store.js');
  const { DEFAULT_PICKUP_LIMIT_POLICY } = await import('../../apps/gateway/dist/pickup-guard/pickup-limit-policy.js');
  const redis = new Redis(redisUrl);
  const store = new PickupLimitStore(
    redis,
    `lexy:bench:${Date.now().toString(36)}:check:`,
    DEFAULT_PICKUP_LIMIT_POLICY,
  );
  let checks = 0;
  const deadline = Date.now() + seconds * 1_000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        await store.check(['ip:127.0.0.1'], Date.now());
        checks += 1;
      }
    }),
  );
  redis.disconnect();
  return checks / seconds;
}

function run(url, { connections, duration }) {
  return autocannon({ url, connections, duration });
}

const summary = (result) => ({
  requestsPerSecond: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});

async function uploadSmallFile(gatewayUrl) {
  const response = await fetch(`${gatewayUrl}/api/v1/files/pickup-bench.txt`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain' },
    body: 'a file to look up',
  });
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return (await response.json()).file.code;
}

/** The same load on one more gateway replica that remembers no lookups. */
async function measureWithoutMemory(platform, code, { connections, duration }) {
  const port = Number(new URL(platform.gatewayUrl).port) + 1;
  const replica = await startGateway({ env: { ...platform.env, PICKUP_CACHE_SECONDS: '0' }, port });
  try {
    const url = `${replica.url}/api/v1/files/pickup/${code}`;
    await run(url, { connections, duration: 2 });
    return summary(await run(url, { connections, duration }));
  } finally {
    await replica.stop();
  }
}

/** The bare baseline: fixed JSON, no framework, no I/O. */
async function startBareServer(body) {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Measures valid pickup lookups against a started platform (`{ gatewayUrl }`) and a bare server,
 * prints both and their ratio, and returns the figures. Throws if any gateway lookup failed:
 * valid lookups are never limited, even 50 at a time from one source.
 */
export async function benchPickupLookup(platform, { connections = 50, duration = 10 } = {}) {
  const code = await uploadSmallFile(platform.gatewayUrl);
  const url = `${platform.gatewayUrl}/api/v1/files/pickup/${code}`;
  const sample = await fetch(url);
  const body = await sample.text();
  if (sample.status !== 200) throw new Error(`pickup answered ${sample.status}: ${body}`);

  await run(url, { connections, duration: 2 }); // warm-up: connections, JIT, caches
  const gateway = summary(await run(url, { connections, duration }));
  const unremembered = await measureWithoutMemory(platform, code, { connections, duration });
  const bareServer = await startBareServer(body);
  let bare;
  try {
    bare = summary(await run(bareServer.url, { connections, duration }));
  } finally {
    await bareServer.close();
  }
  const checksPerSecond = await benchLimiterCheck(platform.env?.REDIS_URL ?? 'redis://127.0.0.1:6379', { connections });
  const ratio = gateway.requestsPerSecond / bare.requestsPerSecond;
  const line = (name, r) =>
    `  ${name.padEnd(8)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
  console.log(`
Pickup lookup: ${connections} connections, ${duration} s each, valid code, one source
${line('gateway', gateway)}
${line('bare', bare)}
  ratio ${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)})
${line('no memory', unremembered)}   (PICKUP_CACHE_SECONDS=0: every lookup asks files and MySQL)
  ratio without memory ${(unremembered.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}
  limiter check alone (one Redis round trip, ${connections} concurrent): ${checksPerSecond.toFixed(0)} checks/s
`);
  for (const result of [gateway, unremembered]) {
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${result.non2xx} gateway lookups were not 2xx and ${result.errors} failed`);
    }
  }
  return { gateway, unremembered, bare, ratio, checksPerSecond };
}

if (import.meta.main) {
  const { runStandalone } = await import('./standalone.mjs');
  await runStandalone(
    {
      prefix: 'lexy_bench_lookup',
      ports: {
        gateway: 26080,
        auth: 26051,
        files: 26052,
        quotas: 26053,
        s3: 26090,
        cleanup: 26054,
        relay: 26055,
        relayWs: 26056,
        relayPeer: 26057,
        gatewayMetrics: 26060,
        authMetrics: 26061,
        filesMetrics: 26062,
        quotasMetrics: 26063,
        relayMetrics: 26064,
      },
    },
    (platform) => benchPickupLookup(platform),
  );
}
