import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { commonV1, healthV1, relayV1 } from '@lexy/contracts-grpc';
import { dropDatabase, runMigrations } from '@lexy/server-database';
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
import { Redis } from 'ioredis';
import { createConnection, type Connection } from 'mysql2/promise';
import { createApp } from '../../src/app.js';
import { loadRelayConfig, relayDatabase, type RelayConfig } from '../../src/config/relay.config.js';
import { RELAY_SCHEMA } from '../../src/database/schema.js';

/** The INTERNAL_CALLER_SECRET of the service under test. */
export const CALLER_SECRET = 'relay-test-internal-caller-secret-0123456789';

export type RelayClient = PromiseClient<relayV1.RelayServiceClient>;
export type HealthClient = PromiseClient<healthV1.HealthClient>;
export type RelayMaintenanceClient = PromiseClient<relayV1.RelayMaintenanceServiceClient>;

/** The real relay service on a fresh database and a Redis prefix of its own, called over gRPC. */
export interface RelayHarness {
  config: RelayConfig;
  /** Calls without a caller token. */
  client: RelayClient;
  /** Calls acting for `caller`, signed with the service's secret unless another `secret` is given. */
  as(caller: commonV1.Caller, secret?: string): RelayClient;
  health: HealthClient;
  /** RelayMaintenanceService without a caller token. */
  maintenance: RelayMaintenanceClient;
  /** RelayMaintenanceService acting for `caller` (the cleanup worker signs as serviceCaller('cleanup')). */
  maintenanceAs(caller: commonV1.Caller, secret?: string): RelayMaintenanceClient;
  /** A plain connection to the test database, for arranging and inspecting rows. */
  db: Connection;
  /** The Redis the service uses, to inspect its presence keys (null when the service's Redis is down). */
  redis: Redis | null;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
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

/** The client with every call carrying `token` in its `lexy-caller` metadata, as the gateway sends it. */
export function withCallerToken<Client extends object>(client: Client, token: string): Client {
  return new Proxy(client, {
    get(target, property) {
      const method = Reflect.get(target, property) as unknown;
      if (typeof method !== 'function') return method;
      return (request: unknown) =>
        runWithRequestContext({ requestId: 'relay-test', callerToken: token }, () =>
          (method as (request: unknown) => Promise<unknown>).call(target, request),
        );
    },
  });
}

/** Deletes every key under `prefix` (SCAN, never KEYS: the local Redis is shared). */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * Starts the service on a free port. `env` overrides the configuration (a short presence TTL,
 * a small device limit, a Redis that is not there); tests may point at another MySQL through
 * MYSQL_HOST/PORT/USER/PASSWORD and at another Redis through REDIS_URL.
 */
export async function startRelay(env: Record<string, string> = {}): Promise<RelayHarness> {
  const suffix = randomBytes(6).toString('hex');
  const address = `127.0.0.1:${await freePort()}`;
  const config = loadRelayConfig({
    ...process.env,
    RELAY_GRPC_ADDRESS: address,
    // Test files run side by side: each relay's WebSocket takes a free port of its own.
    RELAY_WS_PORT: String(await freePort()),
    RELAY_DATABASE: `lexy_test_relay_${suffix}`,
    RELAY_REDIS_PREFIX: `lexy:test:relay:${suffix}:`,
    LOG_LEVEL: 'silent',
    INTERNAL_CALLER_SECRET: CALLER_SECRET,
    ...env,
  });
  const database = relayDatabase(config);
  await runMigrations(database, RELAY_SCHEMA);

  let app: INestMicroservice | undefined;
  let proxy: ClientGrpcProxy | undefined;
  let db: Connection | undefined;
  let redis: Redis | null = null;
  const close = async () => {
    proxy?.close();
    await app?.close();
    await db?.end();
    if (redis) {
      await deleteKeys(redis, config.RELAY_REDIS_PREFIX);
      redis.disconnect();
    }
    await dropDatabase(database);
  };
  try {
    app = await createApp(config);
    await app.listen();
    // GrpcOptions types its transport as optional; restating it selects create()'s gRPC overload.
    proxy = ClientProxyFactory.create({ ...grpcClientOptions('relay', address), transport: Transport.GRPC });
    const client = toPromiseClient(proxy.getService<relayV1.RelayServiceClient>(relayV1.RELAY_SERVICE_NAME), {
      deadlineMs: 30_000,
    });
    const maintenance = toPromiseClient(
      proxy.getService<relayV1.RelayMaintenanceServiceClient>(relayV1.RELAY_MAINTENANCE_SERVICE_NAME),
      { deadlineMs: 30_000 },
    );
    const health = toPromiseClient(proxy.getService<healthV1.HealthClient>('Health'));
    db = await createConnection({ ...database, timezone: 'Z' });
    if (!env['REDIS_URL']) redis = new Redis(config.REDIS_URL);
    return {
      config,
      client,
      as: (caller, secret = CALLER_SECRET) => withCallerToken(client, signCallerToken(caller, secret)),
      health,
      maintenance,
      maintenanceAs: (caller, secret = CALLER_SECRET) => withCallerToken(maintenance, signCallerToken(caller, secret)),
      db,
      redis,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A registered user of its own, so tests never share data. */
export function newUser(group = 'normal'): commonV1.Caller {
  return { ownerId: `user-${randomUUID()}`, group, kind: commonV1.IdentityKind.IDENTITY_KIND_USER };
}

/** A guest's identity, as the auth service issues one before sign-in. */
export function newGuest(): commonV1.Caller {
  return { ownerId: `anon-${randomUUID()}`, group: 'anonymous', kind: commonV1.IdentityKind.IDENTITY_KIND_USER };
}

export { serviceCaller };

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

/** The outcomes of calls run together: what succeeded and what failed. */
export function settle<T>(results: PromiseSettledResult<T>[]): { fulfilled: T[]; errors: unknown[] } {
  return {
    fulfilled: results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled').map((r) => r.value),
    errors: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason),
  };
}
