import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import { AppModule, type GatewayOperations } from './app.module.js';
import { PickupViewCache } from './files/pickup-view-cache.js';
import { rememberedPickupsMiddleware } from './files/remembered-pickups.middleware.js';
import { ClientAddresses } from './identity/client-addresses.js';
import { PickupAdmission } from './pickup-guard/pickup-admission.js';
import type { GatewayConfig } from './config/gateway.config.js';
import { allowedOrigins, crossOriginMiddleware } from './http/cross-origin.js';
import { jsonBodyMiddleware } from './http/json-body.middleware.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { GatewayDrain } from './shutdown/gateway-drain.js';
import { applyServerLimits } from './http/server-limits.js';
import { requestContextMiddleware } from './http/request-context.middleware.js';
import { securityHeadersMiddleware } from './http/security-headers.middleware.js';
import { stripIdentityHeadersMiddleware } from './http/strip-identity-headers.middleware.js';
import { serveOpenApi } from './openapi/openapi.js';
import { WebSocketForwarding } from './relay/websocket-forwarding.js';
import { webAppMiddleware } from './web/web-app.middleware.js';

/** A fresh metrics registry and shutdown for one gateway process. */
export function gatewayOperations(config: GatewayConfig): GatewayOperations {
  const metrics = new ServiceMetrics('gateway');
  const shutdown = new ShutdownState(config.SHUTDOWN_GRACE_SECONDS * 1000);
  shutdown.onDrain(() => metrics.markDraining());
  return { metrics, shutdown };
}

/**
 * Builds the gateway: the public REST API under /api/v1 plus its OpenAPI document, `/ws`
 * forwarded to the relay, and the web app at `/`; every request timed in its metrics, and its
 * drain (GatewayDrain) watching the public server. main.ts serves the metrics port and runs the
 * drain on SIGTERM.
 */
export async function createGatewayApp(
  config: GatewayConfig,
  operations: GatewayOperations = gatewayOperations(config),
): Promise<INestApplication> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const server = express();
  server.disable('x-powered-by');
  server.set('trust proxy', false); // client addresses come from ClientAddressResolver only

  const app = await NestFactory.create(AppModule.register(config, operations), new ExpressAdapter(server), {
    bodyParser: false,
    logger: new NestJsonLogger(logger),
  });
  // First, so that whatever answers a request is timed.
  app.use(httpMetricsMiddleware(app.get(GatewayMetrics)));
  app.use(requestContextMiddleware);
  app.use(stripIdentityHeadersMiddleware);
  app.use(securityHeadersMiddleware);
  // Before anything that could answer: a preflight is answered here, and every answer, errors too, carries CORS.
  app.use(crossOriginMiddleware(allowedOrigins(config.PUBLIC_URL, config.GATEWAY_CLIENT_ORIGINS)));
  app.use(jsonBodyMiddleware(config.GATEWAY_JSON_BODY_LIMIT));
  app.use(rememberedPickupsMiddleware(app.get(PickupViewCache), app.get(PickupAdmission), app.get(ClientAddresses)));
  // Before Nest's routes, which are added at init; it passes /api and /ws on untouched.
  app.use(webAppMiddleware(config.GATEWAY_WEB_ROOT));
  app.setGlobalPrefix('api/v1');
  serveOpenApi(app);
  // Slowloris and header floods, the WebSocket upgrade included (security-cases WS-05).
  applyServerLimits(app.getHttpServer(), config);
  app.get(WebSocketForwarding).attach(app.getHttpServer());
  app.get(GatewayDrain).attach(app.getHttpServer());
  return app;
}
