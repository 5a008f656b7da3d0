// deploy/healthcheck.mjs against real servers: a grpc-js server serving grpc.health.v1 from the
// project's own health.proto, and a node:http server.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { checkApp, checkGrpc, checkHttp, portOf, servingStatusOf } from '../healthcheck.mjs';

const PROTO_ROOT = join(import.meta.dirname, '../../proto');

/** A gRPC server answering Health/Check with whatever `status()` says; resolves with its port. */
async function startHealthServer(status) {
  const definition = protoLoader.loadSync('grpc/health/v1/health.proto', { includeDirs: [PROTO_ROOT], enums: String });
  const { Health } = grpc.loadPackageDefinition(definition).grpc.health.v1;
  const server = new grpc.Server();
  server.addService(Health.service, {
    check: (_call, callback) => callback(null, { status: status() }),
  });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(resolve)) };
}

function startHttpServer(routes) {
  const server = createServer((request, response) => {
    response.statusCode = routes[request.url] ?? 404;
    response.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: server.address().port, stop: () => new Promise((done) => server.close(done)) }),
    ),
  );
}

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort() {
  const server = await startHttpServer({});
  await server.stop();
  return server.port;
}

describe('servingStatusOf', () => {
  it('reads the status field of a HealthCheckResponse', () => {
    expect(servingStatusOf(Buffer.from([0x08, 0x01]))).toBe(1);
    expect(servingStatusOf(Buffer.from([0x08, 0x02]))).toBe(2);
    expect(servingStatusOf(Buffer.alloc(0))).toBe(0);
    // An unknown length-delimited field before it is skipped.
    expect(servingStatusOf(Buffer.from([0x12, 0x02, 0x61, 0x62, 0x08, 0x01]))).toBe(1);
  });
});

describe('portOf', () => {
  it('takes the port of host:port', () => {
    expect(portOf('0.0.0.0:50051')).toBe(50051);
    expect(() => portOf('auth')).toThrow(/no port/);
  });
});

describe('checkGrpc', () => {
  let status = 'SERVING';
  let server;
  beforeAll(async () => {
    server = await startHealthServer(() => status);
  });
  afterAll(() => server.stop());

  it('is healthy while the service answers SERVING', async () => {
    status = 'SERVING';
    expect(await checkGrpc('127.0.0.1', server.port)).toBe(true);
  });

  it('is unhealthy when the service answers NOT_SERVING', async () => {
    status = 'NOT_SERVING';
    expect(await checkGrpc('127.0.0.1', server.port)).toBe(false);
  });

  it('is unhealthy when nothing listens', async () => {
    expect(await checkGrpc('127.0.0.1', await closedPort())).toBe(false);
  });

  it('is unhealthy when an HTTP/1 server answers instead', async () => {
    const http = await startHttpServer({});
    try {
      expect(await checkGrpc('127.0.0.1', http.port, 2_000)).toBe(false);
    } finally {
      await http.stop();
    }
  });
});

describe('checkHttp', () => {
  it('is healthy on 2xx only', async () => {
    const server = await startHttpServer({ '/ok': 200, '/down': 503 });
    try {
      expect(await checkHttp(`http://127.0.0.1:${server.port}/ok`)).toBe(true);
      expect(await checkHttp(`http://127.0.0.1:${server.port}/down`)).toBe(false);
    } finally {
      await server.stop();
    }
    expect(await checkHttp(`http://127.0.0.1:${await closedPort()}/ok`)).toBe(false);
  });
});

describe('checkApp', () => {
  it('asks a gRPC service on the port of its own address variable', async () => {
    const server = await startHealthServer(() => 'SERVING');
    try {
      expect(await checkApp({ LEXY_APP: 'files', FILES_GRPC_ADDRESS: `0.0.0.0:${server.port}` })).toBe(true);
      expect(await checkApp({ LEXY_APP: 'files', FILES_GRPC_ADDRESS: `0.0.0.0:${await closedPort()}` })).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('asks the gateway for /api/v1/health and the cleanup worker for /health', async () => {
    const server = await startHttpServer({ '/api/v1/health': 200, '/health': 503 });
    try {
      const gateway = { LEXY_APP: 'gateway', GATEWAY_PORT: String(server.port), RELAY_WS_ADDRESS: 'relay:50055' };
      expect(await checkApp(gateway)).toBe(true);
      expect(await checkApp({ LEXY_APP: 'cleanup', CLEANUP_METRICS_PORT: String(server.port) })).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('asks a gateway that runs the relay for the relay’s /health on its metrics port too', async () => {
    const gateway = await startHttpServer({ '/api/v1/health': 200 });
    const relay = {
      up: await startHttpServer({ '/health': 200 }),
      draining: await startHttpServer({ '/health': 503 }),
    };
    const env = (relayPort) => ({
      LEXY_APP: 'gateway',
      GATEWAY_PORT: String(gateway.port),
      RELAY_METRICS_PORT: String(relayPort),
    });
    try {
      expect(await checkApp(env(relay.up.port))).toBe(true);
      expect(await checkApp(env(relay.draining.port))).toBe(false);
      expect(await checkApp(env(await closedPort()))).toBe(false);
      // Piping /ws to a relay run apart, the gateway has no relay of its own to ask.
      expect(await checkApp({ ...env(await closedPort()), RELAY_WS_ADDRESS: 'relay:50055' })).toBe(true);
    } finally {
      await Promise.all([gateway.stop(), relay.up.stop(), relay.draining.stop()]);
    }
  });

  it('finds a gateway unhealthy when its own health fails, whatever its relay says', async () => {
    const gateway = await startHttpServer({ '/api/v1/health': 503 });
    const relay = await startHttpServer({ '/health': 200 });
    try {
      expect(
        await checkApp({
          LEXY_APP: 'gateway',
          GATEWAY_PORT: String(gateway.port),
          RELAY_METRICS_PORT: String(relay.port),
        }),
      ).toBe(false);
    } finally {
      await Promise.all([gateway.stop(), relay.stop()]);
    }
  });

  it('refuses an app it does not know', () => {
    expect(() => checkApp({ LEXY_APP: 'web' })).toThrow(/LEXY_APP is "web"/);
  });
});
