import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CleanupMetrics } from '../metrics/cleanup-metrics.js';

/** GET /metrics: the worker's Prometheus metrics (text exposition format). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: CleanupMetrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    response.status(200).type(contentType).send(body);
  }
}
