import 'reflect-metadata';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import { ServiceMetrics } from '@lexy/server-metrics';
import { ShutdownState } from '@lexy/server-shutdown';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import { AppModule, type CleanupOperations, type CleanupOverrides } from './app.module.js';
import type { CleanupConfig } from './config/cleanup.config.js';

/** A fresh metrics registry and shutdown for one cleanup worker. */
export function cleanupOperations(config: CleanupConfig): CleanupOperations {
  const metrics = new ServiceMetrics('cleanup');
  const shutdown = new ShutdownState(config.SHUTDOWN_GRACE_SECONDS * 1000);
  shutdown.onDrain(() => metrics.markDraining());
  return { metrics, shutdown };
}

/**
 * The cleanup worker, not yet listening: its queue worker and tick schedulers start with the
 * application, and its HTTP server (GET /metrics, GET /health) once it listens on
 * CLEANUP_METRICS_PORT. main.ts and the integration tests share it; closing it lets the
 * running jobs end their batch (within what is left of the grace period) first.
 */
export async function createCleanupApp(
  config: CleanupConfig,
  overrides: CleanupOverrides = {},
  operations: CleanupOperations = cleanupOperations(config),
): Promise<INestApplication> {
  const server = express();
  server.disable('x-powered-by');
  const app = await NestFactory.create(AppModule.register(config, operations, overrides), new ExpressAdapter(server), {
    bodyParser: false,
    logger: new NestJsonLogger(overrides.log ?? createLogger('cleanup', config.LOG_LEVEL)),
  });
  return app;
}
