import { DomainError, ErrorCode } from '@lexy/server-errors';
import { ServiceMetrics } from '@lexy/server-metrics';
import { Controller, Get, Param, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { GATEWAY_CONFIG, loadGatewayConfig } from '../src/config/gateway.config.js';
import { ActiveDownloads } from '../src/files/active-downloads.js';
import { ErrorEnvelopeFilter } from '../src/http/error-envelope.filter.js';
import { GatewayMetrics } from '../src/metrics/gateway-metrics.js';
import { ClientAddresses } from '../src/identity/client-addresses.js';
import { PickupLimits } from '../src/pickup-guard/pickup-limits.decorator.js';
import { PICKUP_CLOCK } from '../src/pickup-guard/pickup-admission.js';
import { pickupGuardProviders } from '../src/pickup-guard/pickup-guard.providers.js';
import { REDIS } from '../src/redis/redis.provider.js';

// The interceptor in a small Nest app over real HTTP: with the real Redis, and with a Redis
// that is down (a client pointed at a closed port, or one that goes away mid-request).
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const GOOD = 'GOOD01';
let lookups = 0;
let beforeAnswer: () => Promise<void> = async () => undefined;

@Controller('files')
class LookupController {
  @Get('pickup/:code')
  @PickupLimits()
  async lookup(@Param('code') code: string) {
    lookups += 1;
    await beforeAnswer();
    if (code !== GOOD) throw new DomainError(ErrorCode.PICKUP_CODE_NOT_FOUND, 'No file for this code');
    return { file: { name: 'a.txt' } };
  }
}

const failFast = { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 500 };

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startApp(redis: Redis, clock: () => number = Date.now) {
  const metrics = new ServiceMetrics('gateway', { processMetrics: false });
  const config = loadGatewayConfig({ PICKUP_REDIS_PREFIX: `lexy:test:${randomUUID()}:`, LOG_LEVEL: 'silent' });
  const module = await Test.createTestingModule({
    controllers: [LookupController],
    providers: [
      { provide: GATEWAY_CONFIG, useValue: config },
      { provide: REDIS, useValue: redis },
      { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
      ClientAddresses,
      { provide: GatewayMetrics, useValue: new GatewayMetrics(metrics, new ActiveDownloads()) },
      ...pickupGuardProviders,
    ],
  })
    .overrideProvider(PICKUP_CLOCK)
    .useValue(clock)
    .compile();
  const app = module.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  // One connection per request (no keep-alive), so closing the app leaves nothing open.
  const get = (code: string, query = '') =>
    new Promise<{ status: number; retryAfter: string | null; body: any }>((resolve, reject) => {
      http
        .get(`${base}/files/pickup/${code}${query}`, { agent: false }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
              body: JSON.parse(text),
            }),
          );
        })
        .on('error', reject);
    });
  /** lexy_gateway_limiter_decisions_total of one limiter and decision. */
  const decisions = async (limiter: string, decision: string) => {
    const { body } = await metrics.exposition();
    const line = body
      .split('\n')
      .find((entry) =>
        entry.startsWith(`lexy_gateway_limiter_decisions_total{limiter="${limiter}",decision="${decision}"}`),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  };
  return { app, get, decisions };
}

describe('PickupLimitsInterceptor', () => {
  const apps: INestApplication[] = [];
  const clients: Redis[] = [];
  const redis = (url: string, options = {}) => {
    const client = new Redis(url, options);
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  /** The real Redis, connected: without an offline queue, commands sent before that fail. */
  const connected = async () => {
    const client = redis(REDIS_URL, failFast);
    await new Promise((resolve) => client.once('ready', resolve));
    return client;
  };
  beforeEach(() => {
    lookups = 0;
    beforeAnswer = async () => undefined;
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    clients.forEach((client) => client.disconnect());
  });

  it('fails closed while Redis is down: 503 and no lookup at all', async () => {
    // Nothing listens there: the connection is refused (and, in this test, not retried).
    const down = redis(`redis://127.0.0.1:${await closedPort()}`, { ...failFast, retryStrategy: () => null });
    await new Promise((resolve) => down.once('end', resolve));
    const { app, get, decisions } = await startApp(down);
    apps.push(app);
    for (const code of [GOOD, 'ZZZZZZ']) {
      const response = await get(code);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(response.retryAfter).toBe('5');
    }
    expect(lookups).toBe(0);
    expect(await decisions('pickup-source', 'refused')).toBe(2);
    expect(await decisions('pickup-source', 'allowed')).toBe(0);
  });

  it('fails closed when Redis goes away before a failure is charged: 503, not an uncounted 404', async () => {
    const client = await connected();
    const { app, get } = await startApp(client);
    apps.push(app);
    expect((await get('ZZZZZZ')).status).toBe(404);
    beforeAnswer = async () => client.disconnect();
    const response = await get('ZZZZZZ');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('charges 404s only, refuses the 6th lookup of a minute with Retry-After, and lets a link-token lookup through', async () => {
    let now = Date.UTC(2026, 10, 3, 12, 0, 0);
    const { app, get, decisions } = await startApp(await connected(), () => now);
    apps.push(app);
    expect((await get(GOOD)).status).toBe(200); // successes are not failures
    for (let i = 0; i < 5; i += 1) {
      expect((await get('ZZZZZZ')).status).toBe(404);
      now += 1_000;
    }
    const limited = await get('ZZZZZZ');
    expect(limited).toEqual({
      status: 429,
      retryAfter: '55',
      body: {
        error: {
          code: 'RATE_LIMITED',
          message: expect.any(String),
          details: { limit: 'per-minute', retryAfterSeconds: 55 },
        },
      },
    });
    const correct = await get(GOOD);
    expect(correct.status).toBe(429);
    expect(correct.body).toEqual(limited.body);
    expect(lookups).toBe(6);

    // a share-link lookup is neither refused nor charged
    expect((await get('ZZZZZZ', '?t=some-link-token')).status).toBe(404);
    expect((await get(GOOD, '?t=some-link-token')).status).toBe(200);
    now += 55_000;
    expect((await get(GOOD)).status).toBe(200);

    // Every admitted anonymous lookup passed both limiters; the two refused ones, the per-source one.
    expect(await decisions('pickup-source', 'allowed')).toBe(7);
    expect(await decisions('pickup-source', 'refused')).toBe(2);
    expect(await decisions('pickup-budget', 'allowed')).toBe(7);
    expect(await decisions('pickup-budget', 'refused')).toBe(0);
  });
});
