import { ShutdownState } from '@lexy/server-shutdown';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CleanupQueue } from '../queue/cleanup-queue.js';

/**
 * GET /health: 200 {status:'ok'} while Redis (the queue) answers, else 503; 503 {status:'draining'}
 * from SIGTERM on, while the running jobs end their batch. Without the queue the worker does
 * nothing; the files and quotas services have health checks of their own.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly queue: CleanupQueue,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<{ status: 'ok' | 'unavailable' | 'draining' }> {
    if (this.shutdown.draining) {
      response.status(503);
      return { status: 'draining' };
    }
    if (await this.queue.ping()) return { status: 'ok' };
    response.status(503);
    return { status: 'unavailable' };
  }
}
