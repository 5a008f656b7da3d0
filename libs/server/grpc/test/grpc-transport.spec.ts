import 'reflect-metadata';
import { healthV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { currentRequestContext, runWithRequestContext } from '@lexy/server-logging';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, type ClientGrpc } from '@nestjs/microservices';
import { createServer } from 'node:net';
import {
  DomainErrorRpcFilter,
  GrpcRequestContextInterceptor,
  grpcClientOptions,
  grpcServerOptions,
  requireCaller,
  signCallerToken,
  toPromiseClient,
} from '../src/index.js';

const SECRET = 'internal-secret-for-tests-0123456789';

/** What the fake service saw and what it should do next. */
const seen: (string | undefined)[] = [];
const callers: string[] = [];
let behaviour: 'ok' | 'domain-error' | 'crash' | 'needs-caller' = 'ok';

@Controller()
@healthV1.HealthControllerMethods()
class ProbeController {
  check(): healthV1.HealthCheckResponse {
    seen.push(currentRequestContext()?.requestId);
    if (behaviour === 'domain-error') {
      throw new DomainError(ErrorCode.FILE_TOO_LARGE, 'Too big for you', { maxFileBytes: 5 });
    }
    if (behaviour === 'crash') throw new Error('secret internals at /srv/app.js:12');
    if (behaviour === 'needs-caller') callers.push(requireCaller().ownerId);
    return { status: healthV1.HealthCheckResponse_ServingStatus.SERVING };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('gRPC transport over a real connection', () => {
  let app: INestMicroservice;
  let client: ReturnType<typeof toPromiseClient<healthV1.HealthClient>>;

  beforeAll(async () => {
    const address = `127.0.0.1:${await freePort()}`;
    app = await NestFactory.createMicroservice(ProbeModule, { ...grpcServerOptions('quotas', address), logger: false });
    app.useGlobalFilters(new DomainErrorRpcFilter());
    app.useGlobalInterceptors(new GrpcRequestContextInterceptor(SECRET));
    await app.listen();
    const proxy = ClientProxyFactory.create(grpcClientOptions('quotas', address)) as unknown as ClientGrpc;
    client = toPromiseClient(proxy.getService<healthV1.HealthClient>('Health'));
  });

  afterAll(() => app.close());

  beforeEach(() => {
    seen.length = 0;
    callers.length = 0;
    behaviour = 'ok';
  });

  it('carries the request id of the caller into the handler', async () => {
    await runWithRequestContext({ requestId: 'req-42' }, () => client.check({ service: '' }));
    expect(seen).toEqual(['req-42']);
  });

  it('gives a handler without a caller request id a fresh one', async () => {
    await client.check({ service: '' });
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('delivers a domain error with its code, message and details', async () => {
    behaviour = 'domain-error';
    const error = await client.check({ service: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: ErrorCode.FILE_TOO_LARGE,
      message: 'Too big for you',
      details: { maxFileBytes: 5 },
    });
  });

  it('turns any other failure into INTERNAL without its message', async () => {
    behaviour = 'crash';
    const error = (await client.check({ service: '' }).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe(ErrorCode.INTERNAL);
    expect(error.message).toBe('Internal error');
  });

  it('knows the caller only from a signed token in the context, forwarded as metadata (AUTH-08)', async () => {
    behaviour = 'needs-caller';
    const callerToken = signCallerToken({ ownerId: 'user-7', group: 'normal', kind: 1 }, SECRET);
    await runWithRequestContext({ requestId: 'r', callerToken }, () => client.check({ service: '' }));
    expect(callers).toEqual(['user-7']);

    const anonymous = (await client.check({ service: '' }).catch((e: unknown) => e)) as DomainError;
    expect(anonymous.code).toBe(ErrorCode.UNAUTHENTICATED);

    const forged = signCallerToken({ ownerId: 'admin', group: 'admin', kind: 1 }, 'another-secret-0123456789-abcdefgh');
    const refused = (await runWithRequestContext({ requestId: 'r', callerToken: forged }, () =>
      client.check({ service: '' }),
    ).catch((e: unknown) => e)) as DomainError;
    expect(refused.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(callers).toEqual(['user-7']);
  });

  it('reports an unreachable service as SERVICE_UNAVAILABLE', async () => {
    const proxy = ClientProxyFactory.create(
      grpcClientOptions('quotas', `127.0.0.1:${await freePort()}`),
    ) as unknown as ClientGrpc;
    const unreachable = toPromiseClient(proxy.getService<healthV1.HealthClient>('Health'), { deadlineMs: 1_000 });
    const error = (await unreachable.check({ service: '' }).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });
});
