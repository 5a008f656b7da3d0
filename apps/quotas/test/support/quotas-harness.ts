import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { quotasV1 } from '@lexy/contracts-grpc';
import { dropDatabase, mysqlDataSourceOptions, runMigrations, type DatabaseConfig } from '@lexy/server-database';
import { DomainError, type ErrorCode } from '@lexy/server-errors';
import {
  grpcClientOptions,
  serviceCaller,
  signCallerToken,
  toPromiseClient,
  type PromiseClient,
} from '@lexy/server-grpc';
import { runWithRequestContext } from '@lexy/server-logging';
import type { INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import type { QuotasOverrides } from '../../src/app.module.js';
import { loadQuotasConfig, quotasDatabase } from '../../src/config/quotas.config.js';
import { QUOTAS_SCHEMA } from '../../src/database/schema.js';

export type QuotaClient = PromiseClient<quotasV1.QuotaServiceClient>;
export type MaintenanceClient = PromiseClient<quotasV1.StorageMaintenanceServiceClient>;
export type GroupAdminClient = PromiseClient<quotasV1.GroupAdminServiceClient>;

/** The secret the service under test verifies caller tokens with. */
export const CALLER_SECRET = 'quotas-test-internal-caller-secret-0123456789';

/** The real gRPC service on its own fresh database, a client of it, and a side door to the database. */
export interface QuotasHarness {
  /** Calls without any caller token. */
  client: QuotaClient;
  /** Calls carrying a caller token signed with the service's secret (or `secret`, to forge one). */
  as(ownerId: string, group?: string, secret?: string): QuotaClient;
  /** Calls for a caller whose quota account differs from its owner id (a tokenless caller). */
  asAccount(ownerId: string, quotaAccountId: string, group?: string): QuotaClient;
  /** StorageMaintenanceService without any caller token; pair it with actingAs. */
  maintenance: MaintenanceClient;
  /** StorageMaintenanceService for the platform service `name`, as the cleanup worker calls it. */
  asService(name?: string): MaintenanceClient;
  /** GroupAdminService without any caller token; pair it with actingAs. */
  groupAdmin: GroupAdminClient;
  /** Direct access for assertions on stored state. */
  db: DataSource;
  database: DatabaseConfig;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface QuotasHarnessOptions extends QuotasOverrides {
  /** Another Redis, e.g. one that is not there. */
  redisUrl?: string;
}

export async function startQuotas(options: QuotasHarnessOptions = {}): Promise<QuotasHarness> {
  const port = await freePort();
  const config = loadQuotasConfig({
    MYSQL_HOST: process.env['MYSQL_HOST'],
    MYSQL_PORT: process.env['MYSQL_PORT'],
    MYSQL_USER: process.env['MYSQL_USER'],
    MYSQL_PASSWORD: process.env['MYSQL_PASSWORD'],
    QUOTAS_DATABASE: `lexy_test_quotas_${randomBytes(6).toString('hex')}`,
    QUOTAS_GRPC_ADDRESS: `127.0.0.1:${port}`,
    LOG_LEVEL: 'silent',
    INTERNAL_CALLER_SECRET: CALLER_SECRET,
    REDIS_URL: options.redisUrl ?? process.env['REDIS_URL'],
  });
  const database = quotasDatabase(config);
  await runMigrations(database, QUOTAS_SCHEMA);

  let app: INestMicroservice | undefined;
  let grpc: ClientGrpcProxy | undefined;
  let db: DataSource | undefined;
  const close = async () => {
    grpc?.close();
    await app?.close();
    if (db?.isInitialized) await db.destroy();
    await dropDatabase(database);
  };
  try {
    app = await createApp(config, { clock: options.clock });
    await app.listen();
    // GrpcOptions types its transport as optional; restating it selects create()'s gRPC overload.
    grpc = ClientProxyFactory.create({
      ...grpcClientOptions('quotas', config.QUOTAS_GRPC_ADDRESS),
      transport: Transport.GRPC,
    });
    const client = toPromiseClient(grpc.getService<quotasV1.QuotaServiceClient>(quotasV1.QUOTA_SERVICE_NAME), {
      deadlineMs: 30_000,
    });
    const maintenance = toPromiseClient(
      grpc.getService<quotasV1.StorageMaintenanceServiceClient>(quotasV1.STORAGE_MAINTENANCE_SERVICE_NAME),
      { deadlineMs: 30_000 },
    );
    const groupAdmin = toPromiseClient(
      grpc.getService<quotasV1.GroupAdminServiceClient>(quotasV1.GROUP_ADMIN_SERVICE_NAME),
      { deadlineMs: 30_000 },
    );
    db = await new DataSource(mysqlDataSourceOptions(database, { entities: [], migrations: [] })).initialize();
    const as = (ownerId: string, group = 'normal', secret = CALLER_SECRET) =>
      actingAs(client, signCallerToken(caller(ownerId, group), secret));
    const asAccount = (ownerId: string, quotaAccountId: string, group = 'anonymous') =>
      actingAs(client, signCallerToken({ ownerId, group, kind: 3, quotaAccountId }, CALLER_SECRET));
    const asService = (name = 'cleanup') => actingAs(maintenance, serviceCallerToken(name));
    return { client, as, asAccount, maintenance, asService, groupAdmin, db, database, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The client with every call made in a request context that carries `callerToken`, as the gateway would. */
export function actingAs<Client extends object>(
  client: Client,
  callerToken: string,
  requestId = 'quotas-test',
): Client {
  return new Proxy(client, {
    get(target, property) {
      const method = Reflect.get(target, property) as unknown;
      if (typeof method !== 'function') return method;
      return (request: unknown) =>
        runWithRequestContext({ requestId, callerToken }, () =>
          (method as (request: unknown) => Promise<unknown>).call(target, request),
        );
    },
  });
}

/** Awaits a call that must fail and returns its DomainError after checking the code. */
export async function expectDomainError(call: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  const error = await call.then(
    () => new Error(`expected ${code}, but the call succeeded`),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

export function newOwnerId(): string {
  return `test:${randomBytes(12).toString('hex')}`;
}

export function caller(ownerId: string, group: string) {
  return { ownerId, group, kind: 1 };
}

/** A caller token of the platform service `name` (IDENTITY_KIND_SERVICE), signed with the service's secret. */
export function serviceCallerToken(name = 'cleanup'): string {
  return signCallerToken(serviceCaller(name), CALLER_SECRET);
}

/** Uploads (reserves and settles) a file of `bytes` for the owner and returns its id. */
export async function storeFile(harness: QuotasHarness, ownerId: string, group: string, bytes: number) {
  const fileId = randomUUID();
  const { reservationId } = await harness.as(ownerId, group).reserveStorage({ requestedBytes: bytes });
  await harness.as(ownerId, group).settleReservation({ reservationId, fileId, actualBytes: bytes });
  return fileId;
}

/** Whose account the file's ledger row counts in; undefined when it has none. */
export async function ledgerOwner(db: DataSource, fileId: string): Promise<string | undefined> {
  const rows: { owner_id: string }[] = await db.query('SELECT owner_id FROM stored_files WHERE file_id = ?', [fileId]);
  return rows[0]?.owner_id;
}

/** The owner's counters exactly as stored. */
export async function storedAccount(db: DataSource, ownerId: string) {
  const rows: { used_bytes: number | string; reserved_bytes: number | string }[] = await db.query(
    'SELECT used_bytes, reserved_bytes FROM storage_accounts WHERE owner_id = ?',
    [ownerId],
  );
  const [row] = rows;
  return row ? { usedBytes: Number(row.used_bytes), reservedBytes: Number(row.reserved_bytes) } : null;
}

export async function storedReservations(db: DataSource, ownerId: string) {
  const rows: { id: string; bytes: number | string | null; created_at: Date; expires_at: Date }[] = await db.query(
    'SELECT id, bytes, created_at, expires_at FROM reservations WHERE owner_id = ? ORDER BY id',
    [ownerId],
  );
  return rows.map((row) => ({
    id: row.id,
    bytes: row.bytes === null ? null : Number(row.bytes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }));
}
