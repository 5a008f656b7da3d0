import { createQueue, createRedisConnection, createWorker } from '@lexy/server-queue';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { TusUploadService } from './tus-upload.service.js';

const QUEUE = 'tus-janitor';
const SCHEDULER_ID = 'abandon-expired-uploads';

/**
 * Gives up tus uploads whose expiry passed (UP-07): their multipart upload is aborted and
 * their reservation released. A BullMQ job scheduler, so one run happens per interval however
 * many gateway replicas there are (each one registers the same scheduler and a worker).
 */
@Injectable()
export class UploadJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('tus-janitor');
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tus: TusUploadService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.REDIS_URL;
    this.queue = createQueue(QUEUE, createRedisConnection(url, 'producer'));
    this.worker = createWorker(QUEUE, () => this.run(), createRedisConnection(url, 'worker'), { concurrency: 1 });
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.TUS_JANITOR_INTERVAL_SECONDS * 1000 },
      { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  private async run(): Promise<number> {
    const abandoned = await this.tus.abandonExpired(Date.now());
    if (abandoned > 0) this.logger.log(`gave up ${abandoned} expired upload(s)`);
    return abandoned;
  }
}
