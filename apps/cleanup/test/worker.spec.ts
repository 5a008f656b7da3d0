import 'reflect-metadata';
import { filesV1 } from '@lexy/contracts-grpc';
import { CLEANUP_QUEUE, createQueue, createRedisConnection, PURGE_FILES_JOB, purgeFileJobId } from '@lexy/server-queue';
import { ObjectStorage } from '@lexy/server-storage';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
// The local S3 server is a dev tool run without a build, so it has no package to import.
import { startLocalS3, type LocalS3 } from '../../../tools/s3/local-s3.mjs';
import { ShutdownState } from '@lexy/server-shutdown';
import { createCleanupApp } from '../src/app.js';
import { loadCleanupConfig, type CleanupConfig } from '../src/config/cleanup.config.js';
import { startFakeServices, type FakeServices } from './support/fake-services.js';

// The worker as main.ts starts it, against the real Redis on 127.0.0.1:6379 (a queue prefix of
// its own), the local S3 server, and stand-ins for the files, quotas and relay services over gRPC.
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CALLER_SECRET = 'cleanup-test-internal-caller-secret-0123456789';
const BUCKET = 'lexy-cleanup-test';
const credentials = { accessKey: 'lexy-test', secretKey: 'lexy-test-secret' };
const FILE_ID = '0190a0a0-0000-7000-8000-0000000000f1';

let directory: string;
let s3: LocalS3;
let services: FakeServices;
let storage: ObjectStorage;
const prefixes: string[] = [];
const apps: INestApplication[] = [];

beforeAll(async () => {
  directory = await fs.mkdtemp(path.join(os.tmpdir(), 'lexy-cleanup-test-'));
  s3 = await startLocalS3({ port: 0, directory, buckets: [BUCKET], ...credentials });
  storage = new ObjectStorage({ endpoint: s3.endpoint, bucket: BUCKET, ...credentials });
  services = await startFakeServices(CALLER_SECRET);
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  services.calls.length = 0;
  for (const key of Object.keys(services.files.answers)) delete services.files.answers[key as never];
});

afterAll(async () => {
  await services?.close();
  await s3?.close();
  if (directory) await fs.rm(directory, { recursive: true, force: true });
  // Everything the tests left in Redis is under their own prefixes.
  const redis = new Redis(redisUrl);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

function configFor(env: Record<string, string> = {}): CleanupConfig {
  const prefix = `lexy-cleanup-test-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return loadCleanupConfig({
    CLEANUP_METRICS_PORT: '0',
    CLEANUP_INTERVAL_SECONDS: '3600',
    FILES_GRPC_ADDRESS: services.files.address,
    QUOTAS_GRPC_ADDRESS: services.quotas.address,
    RELAY_GRPC_ADDRESS: services.relay.address,
    INTERNAL_CALLER_SECRET: CALLER_SECRET,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY: credentials.accessKey,
    S3_SECRET_KEY: credentials.secretKey,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** Starts a worker and returns the base URL of its HTTP server. */
async function start(config: CleanupConfig): Promise<{ app: INestApplication; url: string }> {
  const app = await createCleanupApp(config);
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const called = (method: string) => services.calls.filter((call) => call.method === method);

function producerQueue(config: CleanupConfig): { queue: Queue; close(): Promise<void> } {
  const connection = createRedisConnection(redisUrl, 'producer');
  const queue = createQueue(CLEANUP_QUEUE, connection, config.QUEUE_PREFIX);
  return {
    queue,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}

describe('the cleanup worker', () => {
  it('runs every tick against the services as the cleanup service, and reports it', async () => {
    const config = configFor({ CLEANUP_INTERVAL_SECONDS: '1' });
    const { url } = await start(config);
    // A second replica: still one scheduler per tick for the cluster.
    await start(config);

    const methods = [
      'files.expireDue',
      'files.claimPurge',
      'files.listExpiredUploads',
      'files.listObjectRefs',
      'quotas.releaseExpiredReservations',
      'quotas.recomputeStorage',
      'relay.expireOffers',
    ];
    await eventually(() => methods.every((method) => called(method).length > 0));
    expect(new Set(services.calls.map((call) => call.callerId))).toEqual(new Set(['service:cleanup']));

    const producer = producerQueue(config);
    try {
      const schedulers = await producer.queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.name).sort()).toEqual([
        'abandon',
        'expire',
        'expire-offers',
        'purge',
        'reconcile',
      ]);
      expect(schedulers.every((scheduler) => scheduler.every === 1000)).toBe(true);
    } finally {
      await producer.close();
    }

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The metrics are this replica's: wait until it has run an expire job too (under load the
    // other replica may have taken the first ticks).
    await eventually(async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text.includes('job="reconcile"') && text.includes('job="expire",outcome="success"');
    });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const body = await metrics.text();
    expect(body).toMatch(/^lexy_cleanup_job_runs_total\{job="expire",outcome="success"\} \d+$/m);
    expect(body).toMatch(/^lexy_cleanup_queue_jobs\{state="delayed"\} \d+$/m);
    expect(body).toContain('lexy_cleanup_job_duration_seconds_bucket');
  }, 60_000);

  it('purges a file its owner deleted as soon as the files service queues it', async () => {
    const config = configFor();
    const { url } = await start(config);
    await storage.putStream('files/deleted-by-owner', Readable.from([Buffer.from('bytes')]));
    let purging = true;
    services.files.answers.claimPurge = (request: filesV1.ClaimPurgeRequest) => ({
      files:
        purging && request.fileIds.includes(FILE_ID) ? [{ fileId: FILE_ID, objectKey: 'files/deleted-by-owner' }] : [],
    });
    services.files.answers.finishPurge = (request: filesV1.FinishPurgeRequest) => {
      purging = false;
      return { deleted: request.fileIds.length };
    };

    const producer = producerQueue(config);
    try {
      // As the files service queues it (apps/files purge-queue.ts).
      await producer.queue.add(PURGE_FILES_JOB, { fileIds: [FILE_ID] }, { jobId: purgeFileJobId(FILE_ID) });
      await eventually(() => called('files.finishPurge').length > 0);
    } finally {
      await producer.close();
    }

    expect(await storage.stat('files/deleted-by-owner')).toBeNull();
    const purge = services.calls.filter((call) => (call.request as { fileIds?: string[] }).fileIds?.includes(FILE_ID));
    expect(purge.map((call) => call.method)).toEqual([
      'files.claimPurge',
      'quotas.releaseStoredFiles',
      'files.finishPurge',
    ]);
    expect(purge[0]?.request).toEqual({ limit: 1, leaseSeconds: 300, fileIds: [FILE_ID] });
    await eventually(async () =>
      (await (await fetch(`${url}/metrics`)).text()).includes(
        'lexy_cleanup_job_runs_total{job="purge-files",outcome="success"} 1',
      ),
    );
  }, 60_000);

  it('reports draining and lets the batch in hand finish at shutdown, and starts no other', async () => {
    const config = configFor({ CLEANUP_BATCH_SIZE: '1' });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    services.files.answers.claimPurge = async (request: filesV1.ClaimPurgeRequest) => {
      if (request.fileIds.length > 0) return { files: [] };
      await held;
      // A full batch: without the shutdown the job would claim again.
      return { files: [{ fileId: FILE_ID, objectKey: 'files/held' }] };
    };
    const { app, url } = await start(config);
    await eventually(() => called('files.claimPurge').length > 0);

    // SIGTERM: draining from here on, so health says so while the batch is still in hand.
    app.get(ShutdownState).begin();
    const health = await fetch(`${url}/health`);
    expect([health.status, await health.json()]).toEqual([503, { status: 'draining' }]);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^lexy_shutdown_draining 1$/m);
    const closed = app.close();
    apps.splice(apps.indexOf(app), 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await closed;

    expect(called('files.claimPurge')).toHaveLength(1);
    expect(called('files.finishPurge')).toHaveLength(1);
  }, 60_000);

  it('starts without Redis and says so on /health, serving its metrics all the same', async () => {
    const { url } = await start(configFor({ REDIS_URL: 'redis://127.0.0.1:1' }));

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable' });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).not.toMatch(/^lexy_cleanup_queue_jobs\{/m);
  }, 60_000);
});
