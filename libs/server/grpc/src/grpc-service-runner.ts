import type { Server as GrpcServer } from '@grpc/grpc-js';
import type { Logger } from '@lexy/server-logging';
import { serveMetrics, ServiceMetrics, type MetricsServer } from '@lexy/server-metrics';
import { handleTerminationSignals, ShutdownState, type DrainOutcome } from '@lexy/server-shutdown';
import type { INestMicroservice } from '@nestjs/common';

/** Nest's gRPC transport as far as draining needs it (the grpc-js server is a protected field of ServerGrpc). */
interface GrpcTransport {
  close(): Promise<void>;
  grpcClient?: GrpcServer | null;
}

/**
 * Drains a gRPC microservice: grpc-js's tryShutdown refuses new calls at once and waits for
 * those in flight; past the grace period, forceShutdown cancels what is left.
 */
export async function drainGrpcServer(app: INestMicroservice, shutdown: ShutdownState): Promise<DrainOutcome> {
  const transport = app.getTransportServer() as unknown as GrpcTransport;
  const server = transport.grpcClient ?? undefined;
  // Nest's close() with gracefulShutdown (grpcServerOptions) is tryShutdown.
  const closing = transport.close();
  const outcome = await shutdown.within(closing);
  if (outcome === 'deadline') {
    server?.forceShutdown();
    await closing.catch(() => undefined);
  }
  return outcome;
}

export interface GrpcServiceRun {
  log: Logger;
  /** The metrics port (GET /metrics, GET /health); 0 lets the system choose. */
  metricsPort: number;
  metricsHost: string;
  /** What else drains beside the gRPC server, in the same grace period (the relay's sockets). */
  drainAlso?: (shutdown: ShutdownState) => Promise<DrainOutcome>;
}

/**
 * Runs a service built by createGrpcMicroservice: listens, serves its metrics port, and on
 * SIGTERM drains (health NOT_SERVING and 503, no new calls, those in flight finish within
 * SHUTDOWN_GRACE_SECONDS), then closes the application and exits.
 */
export async function runGrpcService(app: INestMicroservice, run: GrpcServiceRun): Promise<MetricsServer> {
  const shutdown = app.get(ShutdownState);
  const metrics = app.get(ServiceMetrics);
  await app.listen();
  const metricsServer = await serveMetrics({
    metrics,
    port: run.metricsPort,
    host: run.metricsHost,
    ready: () => !shutdown.draining,
  });
  handleTerminationSignals({
    shutdown,
    log: run.log,
    stop: async () => {
      const [grpc, other] = await Promise.all([drainGrpcServer(app, shutdown), run.drainAlso?.(shutdown)]);
      run.log.info({ grpc, ...(other && { other }) }, 'drained; closing');
      await app.close();
      await metricsServer.close();
    },
  });
  return metricsServer;
}
