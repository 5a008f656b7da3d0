import { FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL } from '@lexy/server-redis';
import { Inject, Injectable, Logger, type OnModuleInit, type Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { REDIS_SUBSCRIBER } from '../redis/redis.provider.js';
import { ActiveDownloads } from './active-downloads.js';
import { PickupViewCache } from './pickup-view-cache.js';

export const pickupViewCacheProvider: Provider = {
  provide: PickupViewCache,
  inject: [GATEWAY_CONFIG],
  useFactory: (config: GatewayConfig) => new PickupViewCache(config.PICKUP_CACHE_SECONDS * 1_000),
};

/**
 * Feeds the files service's change announcements to the PickupViewCache, and tells it whether
 * they are being received: from each (re)subscription until the connection drops. A file's
 * removal also cuts this gateway's downloads of it that are still streaming.
 */
@Injectable()
export class PickupViewInvalidations implements OnModuleInit {
  private readonly logger = new Logger('pickup-cache');

  constructor(
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly cache: PickupViewCache,
    private readonly downloads: ActiveDownloads,
  ) {}

  onModuleInit(): void {
    this.subscriber.on('message', (channel: string, fileId: string) => {
      if (channel === FILE_CHANGES_CHANNEL) this.cache.invalidate(fileId);
      if (channel === FILE_REMOVED_CHANNEL) {
        this.cache.invalidate(fileId);
        const cut = this.downloads.cut(fileId);
        if (cut > 0) this.logger.log(`file ${fileId} was removed: cut ${cut} download(s) in flight`);
      }
    });
    this.subscriber.on('close', () => this.cache.setListening(false));
    // ioredis resubscribes by itself after a reconnect, but gives no signal when that is done;
    // subscribing again is harmless and tells us.
    this.subscriber.on('ready', () => void this.subscribe());
    if (this.subscriber.status === 'ready') void this.subscribe();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL);
      this.cache.setListening(true);
    } catch (error) {
      this.logger.warn(`not subscribed to file changes; lookups are not remembered: ${String(error)}`);
    }
  }
}
