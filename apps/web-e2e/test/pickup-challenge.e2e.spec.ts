import { Redis } from 'ioredis';
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Request } from 'playwright-core';
import { usePages } from './support/browser.js';
import { randomFile, sha256OfFile } from './support/files.js';
import { screenshot } from './support/screenshots.js';
import { sendInBrowser } from './support/send.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// Past the gateway's global budget of failed pickup lookups, anonymous lookups must solve a
// proof-of-work challenge (docs/api.md "Pickup-code limits"). The budget is tripped for real:
// its hourly counters in Redis (the gateway's pickup-limit-store, `<prefix>global:<hour>`) are
// set beyond it, and put back as they were afterwards for the other browser tests.
/** Solving takes a few seconds in a browser; this only bounds a failure. */
const SOLVE_DEADLINE_MS = 90_000;
const HOUR_MS = 3_600_000;
/** Above any budget the gateway accepts (PICKUP_GLOBAL_FAILURE_BUDGET is at most 100 000 000). */
const OVER_BUDGET = '200000000';

const prefix = process.env['WEB_E2E_PICKUP_REDIS_PREFIX'];

/** Sets the global failure counters of this hour and the last one over the budget; returns how to undo it. */
async function tripGlobalBudget(redis: Redis): Promise<() => Promise<void>> {
  if (!prefix) throw new Error('WEB_E2E_PICKUP_REDIS_PREFIX is not set: the global setup did not run');
  const hour = Math.floor(Date.now() / HOUR_MS);
  // Both hours, so that the sliding window stays over the budget if the hour turns meanwhile.
  const keys = [`${prefix}global:${hour - 1}`, `${prefix}global:${hour}`];
  const before = await Promise.all(keys.map((key) => redis.get(key)));
  for (const key of keys) await redis.set(key, OVER_BUDGET, 'PX', 2 * HOUR_MS);
  return async () => {
    for (const [index, key] of keys.entries()) {
      const value = before[index];
      if (value === null || value === undefined) await redis.del(key);
      else await redis.set(key, value, 'PX', 2 * HOUR_MS);
    }
  };
}

describe('the proof-of-work challenge in the browser', () => {
  const pages = usePages();
  const files: string[] = [];
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  let restore: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    requireBuiltWebApp();
    await redis.connect();
  });
  afterEach(async () => {
    await restore?.();
    restore = undefined;
  });
  afterAll(async () => {
    files.forEach((file) => rmSync(dirname(file), { recursive: true, force: true }));
    redis.disconnect();
  });

  it('an anonymous pickup past the global budget solves the challenge in the background and gets the file', async () => {
    const file = randomFile('field-notes.bin', 64 * 1024);
    files.push(file);
    const sender = await pages.newPage();
    const { code } = await sendInBrowser(sender, file);

    restore = await tripGlobalBudget(redis);
    // The budget is tripped: the API itself asks an anonymous lookup for a challenge.
    const refused = await fetch(webUrl(`/api/v1/files/pickup/${code}`));
    expect(refused.status).toBe(428);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('CHALLENGE_REQUIRED');

    const receiver = await pages.newPage();
    const pickupRequests: { request: Request; status: number; challenge: string | undefined }[] = [];
    receiver.on('requestfinished', (request) => {
      if (!request.url().includes('/api/v1/files/pickup/')) return;
      void Promise.all([request.response(), request.allHeaders()]).then(([response, headers]) =>
        pickupRequests.push({ request, status: response?.status() ?? 0, challenge: headers['x-pickup-challenge'] }),
      );
    });
    await receiver.goto(webUrl('/pickup'));
    await receiver.getByLabel('Pickup code').fill(code);
    await receiver.getByRole('button', { name: 'Find file' }).click();
    await receiver
      .getByRole('heading', { level: 2, name: basename(file) })
      .waitFor({ state: 'visible', timeout: SOLVE_DEADLINE_MS });
    expect(await receiver.getByRole('alert').count()).toBe(0);
    await screenshot(receiver, 'pickup-after-challenge');

    const link = receiver.getByRole('link', { name: 'Download' });
    const [download] = await Promise.all([
      receiver.waitForEvent('download', { timeout: SOLVE_DEADLINE_MS }),
      link.click(),
    ]);
    expect(await sha256OfFile(await download.path())).toBe(await sha256OfFile(file));
    // The browser saved it from a plain link (streamed to disk), unlocked by a download pass.
    expect(download.url()).toContain(`/api/v1/files/pickup/${code}/download?pass=`);

    // The lookup and the pass: each first refused with 428, then answered with the solution.
    const lookups = pickupRequests.filter(({ request }) => !request.url().includes('/download'));
    const passes = pickupRequests.filter(({ request }) => request.url().includes('/download-pass'));
    for (const [attempts, answered] of [
      [lookups, 200],
      [passes, 201],
    ] as const) {
      expect(attempts.map(({ status }) => status)).toEqual([428, answered]);
      expect(attempts[0]!.challenge).toBeUndefined();
      const solved = JSON.parse(Buffer.from(attempts[1]!.challenge ?? '', 'base64').toString('utf8')) as {
        challenge: { parameters: { nonce: string } };
        solution: { counter: number };
      };
      expect(typeof solved.challenge.parameters.nonce).toBe('string');
      expect(Number.isInteger(solved.solution.counter)).toBe(true);
    }
  });
});
