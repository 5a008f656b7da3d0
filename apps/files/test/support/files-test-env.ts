import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type commonV1, filesV1 } from '@lexy/contracts-grpc';
import { dropDatabase, runMigrations } from '@lexy/server-database';
import { grpcClientOptions, signCallerToken, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import { runWithRequestContext } from '@lexy/server-logging';
import { ObjectStorage, storageConfig } from '@lexy/server-storage';
import type { INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { createConnection, type Connection } from 'mysql2/promise';
import { startLocalS3, type LocalS3 } from '../../../../tools/s3/local-s3.mjs';
import { createApp } from '../../src/app.js';
import { filesDatabase, loadFilesConfig, type FilesConfig } from '../../src/config/files.config.js';
import { FILES_SCHEMA } from '../../src/database/schema.js';
import type { FilesOverrides } from '../../src/files/files.providers.js';

const BUCKET = 'lexy-files-test';

/** The INTERNAL_CALLER_SECRET of the service under test. */
export const CALLER_SECRET = 'files-test-internal-caller-secret-0123456789';

export type FilesClient = PromiseClient<filesV1.FileServiceClient>;

/** The token the gateway would sign for this caller. */
export function callerToken(caller: commonV1.Caller, secret = CALLER_SECRET): string {
  return signCallerToken(caller, secret);
}

/** The client with every call carrying `token` in its `lexy-caller` metadata, as the gateway sends it. */
export function withCallerToken(client: FilesClient, token: string): FilesClient {
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
  storage: ObjectStorage;
  /** A plain connection to the test database, for arranging and inspecting rows. */
  db: Connection;
  close(): Promise<void>;
}

/**
 * A fresh database with migrations applied, the local S3 server, and the files service on
 * a free port, called through a real gRPC client.
 */
export async function startFilesTestEnv(overrides: FilesOverrides): Promise<FilesTestEnv> {
  const database = `lexy_test_files_${randomBytes(6).toString('hex')}`;
  const dataDirectory = await mkdtemp(join(tmpdir(), 'lexy-files-s3-'));
  const s3: LocalS3 = await startLocalS3({ port: 0, directory: dataDirectory, buckets: [BUCKET] });
  const address = `127.0.0.1:${await freePort()}`;
  // Tests may point at another MySQL through MYSQL_HOST/PORT/USER/PASSWORD.
  const config = loadFilesConfig({
    ...process.env,
    FILES_GRPC_ADDRESS: address,
    FILES_DATABASE: database,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: 'lexy-local',
    S3_SECRET_KEY: 'lexy-local-secret',
    S3_BUCKET: BUCKET,
    LOG_LEVEL: 'warn',
    INTERNAL_CALLER_SECRET: CALLER_SECRET,
  });
  await runMigrations(filesDatabase(config), FILES_SCHEMA);

  const app: INestMicroservice = await createApp(config, overrides);
  await app.listen();
  const proxy = ClientProxyFactory.create({ ...grpcClientOptions('files', address), transport: Transport.GRPC });
  const files = toPromiseClient(proxy.getService<filesV1.FileServiceClient>('FileService'));
  const storage = new ObjectStorage({ ...storageConfig(config), endpoint: s3.endpoint, bucket: BUCKET });
  const dbConfig = filesDatabase(config);
  const db = await createConnection({ ...dbConfig, timezone: 'Z' });

  return {
    config,
    files,
    as: (caller, secret) => withCallerToken(files, callerToken(caller, secret)),
    storage,
    db,
    async close() {
      proxy.close();
      await db.end();
      await app.close();
      await dropDatabase(dbConfig);
      await s3.close();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
