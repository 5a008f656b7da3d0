import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  api,
  json,
  newDevice,
  patternStream,
  query,
  request,
  uploadMultipart,
  sourceAddresses,
  wrongPickupCode,
} from '../../gateway-e2e/test/support/e2e.js';
import { cluster, from, gained, perGateway, sum } from './support/cluster.js';

// The limits that must hold for the cluster as a whole, not per gateway: their counters live
// in Redis, which both gateways share. Each request through the proxy goes to the next gateway,
// so consecutive requests of one caller alternate between the two.

/** A fresh source for each caller. */
const ipv4 = sourceAddresses();

describe('pickup lookups: the per-source limit (PC-02) across both gateways', () => {
  /** Seven wrong lookups from `source` at `base`, then one of a code that exists. */
  async function lookups(base: string, source: string, code: string): Promise<number[]> {
    const statuses: number[] = [];
    for (const candidate of [...Array.from({ length: 7 }, wrongPickupCode), code]) {
      const response = await request('GET', `${base}/api/v1/files/pickup/${candidate}`, { headers: from(source) });
      statuses.push(response.status);
    }
    return statuses;
  }

  it('refuses the 6th lookup of a minute from one source whose lookups alternate between the gateways, as one gateway alone does', async () => {
    const uploaded = await uploadMultipart(patternStream(1_000, 'cluster-limits'), {
      filename: 'limits.txt',
      headers: from(ipv4()),
    });
    expect(uploaded.status).toBe(201);
    const { code } = json(uploaded).file as { code: string };

    // One gateway alone (its internal port): the platform's policy, 5 failures a minute.
    const alone = await lookups(cluster().gateways[0]!.url, ipv4(), code);
    expect(alone).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);

    const allowed = await perGateway('lexy_gateway_limiter_decisions_total', { limiter: 'pickup-source' });
    const refused = await perGateway('lexy_gateway_limiter_decisions_total', {
      limiter: 'pickup-source',
      decision: 'refused',
    });
    const spread = await lookups(cluster().proxyUrl, ipv4(), code);
    expect(spread).toEqual(alone);
    // Each gateway decided on half of the lookups, so saw at most 3 of the 5 failures itself,
    // and still refused its share of the rest: it counted the other gateway's failures too.
    const decided = gained(
      allowed,
      await perGateway('lexy_gateway_limiter_decisions_total', { limiter: 'pickup-source' }),
    );
    expect(decided).toEqual([4, 4]);
    const refusals = gained(
      refused,
      await perGateway('lexy_gateway_limiter_decisions_total', { limiter: 'pickup-source', decision: 'refused' }),
    );
    expect(refusals.every((count) => count >= 1)).toBe(true);
    expect(sum(refusals)).toBe(3);
  });
});

describe('download speed: one bucket per caller across both gateways', () => {
  const FILE = 16 * 1024 * 1024;
  const WARM_UP_MS = 1_000;
  const WINDOW_MS = 2_500;

  /**
   * Starts a download and counts the body bytes that arrive inside [from, until); the download
   * is dropped at `until` (its rest does not matter here).
   */
  function countedDownload(url: string, headers: http.OutgoingHttpHeaders, window: { from: number; until: number }) {
    return new Promise<number>((resolve, reject) => {
      let counted = 0;
      const outgoing = http.get(url, { headers, agent: false }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`the download answered ${response.statusCode}`));
        response.on('data', (chunk: Buffer) => {
          const now = Date.now();
          if (now >= window.from && now < window.until) counted += chunk.length;
        });
        setTimeout(
          () => {
            outgoing.destroy();
            resolve(counted);
          },
          Math.max(0, window.until - Date.now()),
        );
      });
      outgoing.on('error', (error) => (Date.now() >= window.until ? resolve(counted) : reject(error)));
    });
  }

  it('gives the two concurrent downloads of one anonymous caller, one on each gateway, the group’s rate together, not twice it', async () => {
    const [group] = await query<{ rate: number }>(
      'quotas',
      "SELECT download_bytes_per_second AS rate FROM `groups` WHERE name = 'anonymous'",
    );
    const rate = Number(group?.rate);
    expect(rate).toBeGreaterThan(0);
    const device = newDevice(ipv4());
    const uploaded = await uploadMultipart(patternStream(FILE, 'cluster-speed'), { headers: device.headers });
    expect(uploaded.status).toBe(201);
    const { code } = json(uploaded).file as { code: string };

    const before = await perGateway('lexy_gateway_download_bytes_total');
    const start = Date.now();
    const window = { from: start + WARM_UP_MS, until: start + WARM_UP_MS + WINDOW_MS };
    const url = api(`/files/pickup/${code}/download`);
    const downloads = [countedDownload(url, device.headers, window), countedDownload(url, device.headers, window)];
    await sleep(WARM_UP_MS + WINDOW_MS / 2);
    // Mid-window: one download on each gateway (consecutive requests go to the next one).
    expect(await perGateway('lexy_gateway_active_downloads')).toEqual([1, 1]);
    const bytes = sum(await Promise.all(downloads));
    const served = gained(before, await perGateway('lexy_gateway_download_bytes_total'));
    expect(served.every((count) => count > 0)).toBe(true);

    // Two buckets, one per gateway, would let through about 2 x rate; one shared bucket, rate
    // (plus its 0.1 s burst and a lease in flight). Generous bounds on both sides.
    const bytesPerSecond = bytes / (WINDOW_MS / 1000);
    expect(bytesPerSecond).toBeLessThan(1.5 * rate);
    expect(bytesPerSecond).toBeGreaterThan(0.25 * rate);
  });
});
