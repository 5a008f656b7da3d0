import 'reflect-metadata';
import { createGrpcMicroservice } from '@lexy/server-grpc';
import type { INestMicroservice } from '@nestjs/common';
import { AppModule } from './app.module.js';
import type { RelayConfig } from './config/relay.config.js';
import { RelayDrain } from './socket/relay-drain.js';
import { RelayWsAdapter } from './socket/relay-ws-adapter.js';
import { UpgradeAuthentication } from './socket/upgrade-authentication.js';

/**
 * The relay gRPC microservice with the devices' WebSocket beside it (RELAY_WS_PORT), not yet
 * listening; main.ts and the integration tests share it.
 */
export async function createApp(config: RelayConfig): Promise<INestMicroservice> {
  const app = await createGrpcMicroservice('relay', AppModule.register(config), {
    address: config.RELAY_GRPC_ADDRESS,
    callerSecret: config.INTERNAL_CALLER_SECRET,
    logLevel: config.LOG_LEVEL,
    shutdownGraceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  });
  // Run by a gateway (ADR 0011), the relay also takes the sockets that gateway accepted.
  const parent = config.RELAY_WS_FROM_PARENT ? process : undefined;
  const sockets = new RelayWsAdapter(config.RELAY_WS_PORT, app.get(UpgradeAuthentication), parent);
  app.useWebSocketAdapter(sockets);
  app.get(RelayDrain).useListener(sockets);
  return app;
}
