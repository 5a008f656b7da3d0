// Starts the auth service on its real gRPC server, with its own MariaDB database and its
// own Redis key prefix, and gives tests a client, SQL access and Redis access.
import { authV1, type commonV1 } from '@lexy/contracts-grpc';
import { dropDatabase, mysqlDataSourceOptions, runMigrations } from '@lexy/server-database';
import { DomainError } from '@lexy/server-errors';
import { grpcClientOptions, signCallerToken, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import { createLogger, runWithRequestContext, type Logger } from '@lexy/server-logging';
import type { INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.js';
import { Clock } from '../src/auth/clock.js';
import { authDatabase, loadAuthConfig, type AuthConfig } from '../src/config/auth.config.js';
import { AUTH_SCHEMA } from '../src/database/schema.js';

export const JWT_SECRET = 'integration-test-secret-at-least-32-chars';
export const CALLER_SECRET = 'integration-test-internal-caller-secret-0123';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const USER_KIND = 1 as commonV1.IdentityKind;

/** Real time plus an offset the tests can move. */
export class MovableClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The error a call failed with (code, message, details), or 'OK'. */
export async function failure(promise: Promise<unknown>): Promise<DomainError | 'OK'> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const result = await failure(promise);
  return result === 'OK' ? 'OK' : result.code;
}

/** Runs `call` as the given caller, the way the gateway would sign it. */
export function asCaller<T>(
  caller: { ownerId: string; group?: string; kind?: commonV1.IdentityKind },
  call: () => Promise<T>,
  secret = CALLER_SECRET,
): Promise<T> {
  const token = signCallerToken(
    { ownerId: caller.ownerId, group: caller.group ?? 'normal', kind: caller.kind ?? USER_KIND },
    secret,
  );
  return runWithRequestContext({ requestId: 'test', callerToken: token }, call);
}

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(6).toString('hex')}@example.test`;
export const uniqueAddress = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}-${randomBytes(4).toString('hex')}`;

export interface Harness {
  config: AuthConfig;
  app: INestMicroservice;
  auth: PromiseClient<authV1.AuthServiceClient>;
  /** The admin console's service (UserAdminService) on the same server. */
  admin: PromiseClient<authV1.UserAdminServiceClient>;
  db: DataSource;
  redis: Redis;
  clock: MovableClock;
  /** Lines the security logger wrote, parsed. */
  securityEvents: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

interface HarnessOptions {
  env?: Record<string, string>;
  /** Reuse another harness's database (and skip migrating and dropping it). */
  database?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new MovableClock();
  const securityEvents: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        securityEvents.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const securityLog: Logger = createLogger('auth-test', 'info', sink);
  const ownsDatabase = options.database === undefined;
  const config = loadAuthConfig({
    MYSQL_HOST: process.env['MYSQL_HOST'],
    MYSQL_PORT: process.env['MYSQL_PORT'],
    MYSQL_USER: process.env['MYSQL_USER'],
    MYSQL_PASSWORD: process.env['MYSQL_PASSWORD'],
    AUTH_DATABASE: options.database ?? `lexy_test_auth_${randomBytes(6).toString('hex')}`,
    AUTH_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    AUTH_JWT_SECRET: JWT_SECRET,
    INTERNAL_CALLER_SECRET: CALLER_SECRET,
    REDIS_URL,
    AUTH_REDIS_PREFIX: `lexy-test-auth-${randomBytes(6).toString('hex')}:`,
    // The cheapest argon2id cost the config allows, so tests with many logins stay quick.
    AUTH_ARGON2_MEMORY_KIB: '19456',
    AUTH_ARGON2_TIME_COST: '2',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  if (ownsDatabase) await runMigrations(authDatabase(config), AUTH_SCHEMA);
  const db = await new DataSource(mysqlDataSourceOptions(authDatabase(config), AUTH_SCHEMA)).initialize();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

  const app = await createApp(config, { clock, securityLog });
  await app.listen();
  // GrpcOptions types its transport as optional; restating it selects create()'s gRPC overload.
  const grpcClient: ClientGrpcProxy = ClientProxyFactory.create({
    ...grpcClientOptions('auth', config.AUTH_GRPC_ADDRESS),
    transport: Transport.GRPC,
  });
  const auth = toPromiseClient(grpcClient.getService<authV1.AuthServiceClient>(authV1.AUTH_SERVICE_NAME));
  const admin = toPromiseClient(grpcClient.getService<authV1.UserAdminServiceClient>(authV1.USER_ADMIN_SERVICE_NAME));

  return {
    config,
    app,
    auth,
    admin,
    db,
    redis,
    clock,
    securityEvents,
    async close() {
      grpcClient.close();
      await app.close();
      if (db.isInitialized) await db.destroy();
      if (ownsDatabase) await dropDatabase(authDatabase(config));
      const keys = await redis.keys(`${config.AUTH_REDIS_PREFIX}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** The session of an auth answer that must carry one. */
export function sessionOf(response: { session?: authV1.AuthSession | undefined }): authV1.AuthSession {
  if (!response.session) throw new Error('no session in the response');
  return response.session;
}
