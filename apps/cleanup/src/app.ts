import 'reflect-metadata';
import { createLogger, NestJsonLogger } from '@lexy/server-logging';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import { AppModule, type CleanupOverrides } from './app.module.js';
import type { CleanupConfig } from './config/cleanup.config.js';

/**
 * The cleanup worker, not yet listening: its queue worker and tick schedulers start with the
 * application, and its HTTP server (GET /metrics, GET /health) once it listens on
 * CLEANUP_METRICS_PORT. main.ts and the integration tests share it.
 */
export async function createCleanupApp(
  config: CleanupConfig,
  overrides: CleanupOverrides = {},
): Promise<INestApplication> {
  const server = express();
  server.disable('x-powered-by');
  const app = await NestFactory.create(AppModule.register(config, overrides), new ExpressAdapter(server), {
    bodyParser: false,
    logger: new NestJsonLogger(overrides.log ?? createLogger('cleanup', config.LOG_LEVEL)),
  });
  app.enableShutdownHooks();
  return app;
}
