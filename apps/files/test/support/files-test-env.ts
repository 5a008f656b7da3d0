import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type commonV1, filesV1 } from '@lexy/contracts-grpc';
import { dropDatabase, runMigrations } from '@lexy/server-database';
import {
  grpcClientOptions,
  serviceCaller,
  signCallerToken,
  toPromiseClient,
  type PromiseClient,
} from '@lexy/server-grpc';
import { runWithRequestContext } from '@lexy/server-logging';
import { CLEANUP_QUEUE, createQueue, createRedisConnection, type PurgeFilesJobData } from '@lexy/server-queue';
import type { INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { Queue } from 'bullmq';
import { createConnection, type Connection } from 'mysql2/promise';
import { createApp } from '../../src/app.js';
import { filesDatabase, loadFilesConfig, type FilesConfig } from '../../src/config/files.config.js';
import { FILES_SCHEMA } from '../../src/database/schema.js';
import type { FilesOverrides } from '../../src/files/files.providers.js';

/** The INTERNAL_CALLER_SECRET of the service under test. */
export const CALLER_SECRET = 'files-test-internal-caller-secret-0123456789';

export type FilesClient = PromiseClient<filesV1.FileServiceClient>;
export type LifecycleClient = PromiseClient<filesV1.FileLifecycleServiceClient>;
export type AdminClient = PromiseClient<filesV1.FileAdminServiceClient>;

/** The token the gateway (or, for a service caller, the cleanup worker) would sign for this caller. */
export function callerToken(caller: commonV1.Caller, secret = CALLER_SECRET): string {
  return signCallerToken(caller, secret);
}

/** The client with every call carrying `token` in its `lexy-caller` metadata, as the gateway sends it. */
export function withCallerToken<Client extends object>(client: Client, token: string): Client {
  return new Proxy(client, {
    get(target, property) {
      const method = Reflect.get(target, property) as unknown;
      if (typeof method !== 'function') return method;
      return (request: unknown) =>
        runWithRequestContext({ requestId: 'files-test', callerToken: token }, () =>
          (method as (request: unknown) => Promise<unknown>).call(target, request),
        );
    },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface FilesTestEnv {
  config: FilesConfig;
  /** Calls without a caller token (pickups, download counts). */
  files: FilesClient;
  /** Calls acting for `caller`, signed with the service's secret unless another `secret` is given. */
  as(caller: commonV1.Caller, secret?: string): FilesClient;
  /** FileLifecycleService, called as the cleanup worker does (a service caller). */
  lifecycle: LifecycleClient;
  /** FileLifecycleService called as `caller`. */
  lifecycleAs(caller: commonV1.Caller): LifecycleClient;
  /** FileAdminService without a caller token. */
  admin: AdminClient;
  /** FileAdminService called as `caller`, as the gateway's admin routes call it. */
  adminAs(caller: commonV1.Caller): AdminClient;
  /** The cleanup queue under this environment's own QUEUE_PREFIX, to see the jobs the service queued. */
  cleanupQueue: Queue<PurgeFilesJobData>;
  /** A plain connection to the test database, for arranging and inspecting rows. */
  db: Connection;
  close(): Promise<void>;
}

/**
 * A fresh database with migrations applied, a queue prefix of its own in the local Redis,
 * and the files service on a free port, called through a real gRPC client. The service
 * never touches object storage (the gateway writes objects, the cleanup worker deletes
 * them), so there is none here.
 */
export async function startFilesTestEnv(overrides: FilesOverrides): Promise<FilesTestEnv> {
  const suffix = randomBytes(6).toString('hex');
  const address = `127.0.0.1:${await freePort()}`;
  // Tests may point at another MySQL through MYSQL_HOST/PORT/USER/PASSWORD, another Redis through REDIS_URL.
  const config = loadFilesConfig({
    ...process.env,
    FILES_GRPC_ADDRESS: address,
    FILES_DATABASE: `lexy_test_files_${suffix}`,
    QUEUE_PREFIX: `lexy-test-files-${suffix}`,
    LOG_LEVEL: 'warn',
    INTERNAL_CALLER_SECRET: CALLER_SECRET,
  });
  await runMigrations(filesDatabase(config), FILES_SCHEMA);

  const app: INestMicroservice = await createApp(config, overrides);
  await app.listen();
  const proxy = ClientProxyFactory.create({ ...grpcClientOptions('files', address), transport: Transport.GRPC });
  const files = toPromiseClient(proxy.getService<filesV1.FileServiceClient>('FileService'));
  const lifecycleClient = toPromiseClient(proxy.getService<filesV1.FileLifecycleServiceClient>('FileLifecycleService'));
  const adminClient = toPromiseClient(proxy.getService<filesV1.FileAdminServiceClient>('FileAdminService'));
  const queueConnection = createRedisConnection(config.REDIS_URL, 'producer');
  const cleanupQueue = createQueue<PurgeFilesJobData>(CLEANUP_QUEUE, queueConnection, config.QUEUE_PREFIX);
  const dbConfig = filesDatabase(config);
  const db = await createConnection({ ...dbConfig, timezone: 'Z' });

  return {
    config,
    files,
    as: (caller, secret) => withCallerToken(files, callerToken(caller, secret)),
    lifecycle: withCallerToken(lifecycleClient, callerToken(serviceCaller('cleanup'))),
    lifecycleAs: (caller) => withCallerToken(lifecycleClient, callerToken(caller)),
    admin: adminClient,
    adminAs: (caller) => withCallerToken(adminClient, callerToken(caller)),
    cleanupQueue,
    db,
    async close() {
      proxy.close();
      await db.end();
      await app.close();
      await dropDatabase(dbConfig);
      await cleanupQueue.obliterate({ force: true });
      await cleanupQueue.close();
      queueConnection.disconnect();
    },
  };
}
