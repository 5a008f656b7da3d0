import 'reflect-metadata';
import { healthV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { runWithRequestContext } from '@lexy/server-logging';
import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { ClientProxyFactory, type ClientGrpc } from '@nestjs/microservices';
import { createServer } from 'node:net';
import {
  createGrpcMicroservice,
  drainGrpcServer,
  GrpcHealthController,
  grpcClientOptions,
  signCallerToken,
  toPromiseClient,
} from '../src/index.js';

const SECRET = 'internal-secret-for-tests-0123456789';
const { SERVING, NOT_SERVING } = healthV1.HealthCheckResponse_ServingStatus;

/** What the probe's next call does; `hang` waits until the test releases it. */
let behaviour: 'ok' | 'domain-error' | 'crash' | 'hang' = 'ok';
let entered: () => void = () => undefined;
let release: () => void = () => undefined;

@Controller()
@healthV1.HealthControllerMethods()
class ProbeController {
  async check(): Promise<healthV1.HealthCheckResponse> {
    if (behaviour === 'domain-error') throw new DomainError(ErrorCode.NOT_FOUND, 'No such thing');
    if (behaviour === 'crash') throw new Error('boom');
    if (behaviour === 'hang') {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
    }
    return { status: SERVING };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

@Module({ controllers: [GrpcHealthController] })
class HealthModule {}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function start(
  module: typeof ProbeModule,
  settings: { shutdownGraceSeconds?: number; metrics?: ServiceMetrics },
) {
  const address = `127.0.0.1:${await freePort()}`;
  const app = await createGrpcMicroservice(
    'quotas',
    { module },
    { address, callerSecret: SECRET, logLevel: 'silent', ...settings },
  );
  await app.listen();
  const client = () => {
    const proxy = ClientProxyFactory.create(grpcClientOptions('quotas', address)) as unknown as ClientGrpc;
    return toPromiseClient(proxy.getService<healthV1.HealthClient>('Health'), { deadlineMs: 5_000 });
  };
  return { app, client };
}

/** The count of lexy_grpc_server_handling_seconds for one status of Health/Check. */
async function callsWith(metrics: ServiceMetrics, code: string): Promise<number> {
  const { body } = await metrics.exposition();
  const line = body
    .split('\n')
    .find((entry) =>
      entry.startsWith(
        `lexy_grpc_server_handling_seconds_count{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_code="${code}"}`,
      ),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('gRPC service metrics', () => {
  const metrics = new ServiceMetrics('quotas', { processMetrics: false });
  let app: INestMicroservice;
  let client: ReturnType<Awaited<ReturnType<typeof start>>['client']>;

  beforeAll(async () => {
    const started = await start(ProbeModule, { metrics });
    app = started.app;
    client = started.client();
  });

  afterAll(() => app.close());

  it('times each call by service, method and the status it ended with', async () => {
    behaviour = 'ok';
    await client.check({ service: '' });
    await client.check({ service: '' });
    behaviour = 'domain-error';
    await client.check({ service: '' }).catch(() => undefined);
    behaviour = 'crash';
    await client.check({ service: '' }).catch(() => undefined);
    expect(await callsWith(metrics, 'OK')).toBe(2);
    expect(await callsWith(metrics, 'NOT_FOUND')).toBe(1);
    expect(await callsWith(metrics, 'INTERNAL')).toBe(1);
  });

  it('counts a call the caller-token check refused', async () => {
    behaviour = 'ok';
    const forged = signCallerToken({ ownerId: 'x', group: 'admin', kind: 1 }, 'another-secret-0123456789-abcdefgh');
    await runWithRequestContext({ requestId: 'r', callerToken: forged }, () => client.check({ service: '' })).catch(
      () => undefined,
    );
    expect(await callsWith(metrics, 'UNAUTHENTICATED')).toBe(1);
  });
});

describe('gRPC health while draining', () => {
  it('answers NOT_SERVING once the service drains', async () => {
    const { app, client } = await start(HealthModule, {});
    try {
      const health = client();
      expect((await health.check({ service: '' })).status).toBe(SERVING);
      app.get(ShutdownState).begin();
      expect((await health.check({ service: '' })).status).toBe(NOT_SERVING);
    } finally {
      await app.close();
    }
  });
});

describe('drainGrpcServer', () => {
  it('lets the call in flight finish and refuses new ones', async () => {
    const { app, client } = await start(ProbeModule, {});
    behaviour = 'hang';
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const call = client().check({ service: '' });
    await inFlight;

    const shutdown = app.get(ShutdownState);
    shutdown.begin();
    const draining = drainGrpcServer(app, shutdown);
    const refused = (await client()
      .check({ service: '' })
      .catch((error: unknown) => error)) as DomainError;
    expect(refused.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);

    release();
    await expect(call).resolves.toEqual({ status: SERVING });
    await expect(draining).resolves.toBe('drained');
    await app.close();
  });

  it('cancels what still runs when the grace period is over', async () => {
    const { app, client } = await start(ProbeModule, { shutdownGraceSeconds: 0 });
    behaviour = 'hang';
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const call = client()
      .check({ service: '' })
      .catch((error: unknown) => error);
    await inFlight;

    const shutdown = app.get(ShutdownState);
    shutdown.begin();
    await expect(drainGrpcServer(app, shutdown)).resolves.toBe('deadline');
    // Cut: the client hears a transport failure, not an answer.
    expect(await call).toBeInstanceOf(DomainError);
    release();
    await app.close();
  });
});
