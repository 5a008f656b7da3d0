import { ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { TransfersRepository } from '../transfers/transfers.repository.js';
import { TransferEndings } from './transfer-endings.js';

/** How often every replica looks for lapsed streams; WS-07 wants the receiver told within 10 s. */
const SWEEP_MS = 2_000;
const SWEEP_BATCH = 100;

/**
 * The leases of streaming transfers (ADR 0008). The replica a stream's bytes enter through
 * renews the lease of every stream it holds, in one UPDATE, three times per lease. When a
 * replica dies its leases run out, and a sweep on any replica ends those transfers `failed`
 * (PEER_GONE) and tells their devices, so no transfer stays `streaming` without a stream.
 * The same sweep ends a transfer whose dropped device did not come back in the resume window.
 */
@Injectable()
export class StreamLeases implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('stream-leases');
  private readonly held = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly repository: TransfersRepository,
    private readonly endings: TransferEndings,
    @Inject(RELAY_CONFIG) private readonly config: RelayConfig,
  ) {}

  onModuleInit(): void {
    const renewMs = (this.config.RELAY_STREAM_LEASE_SECONDS * 1000) / 3;
    this.timers.push(
      setInterval(() => void this.renew(), renewMs),
      setInterval(() => void this.sweep(), SWEEP_MS),
    );
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** This replica streams the transfer now: renew its lease until released. */
  hold(transferId: string): void {
    this.held.add(transferId);
  }

  release(transferId: string): void {
    this.held.delete(transferId);
  }

  private async renew(): Promise<void> {
    try {
      await this.repository.renewStreamLeases(
        [...this.held],
        this.config.RELAY_PEER_URL,
        this.config.RELAY_STREAM_LEASE_SECONDS,
      );
    } catch (error) {
      this.logger.warn(`could not renew the leases of ${this.held.size} streams: ${String(error)}`);
    }
  }

  /** Ends the lapsed streams of every replica; exported for tests. */
  async sweep(): Promise<void> {
    let lapsed;
    try {
      lapsed = await this.repository.findLapsedStreams(SWEEP_BATCH);
    } catch (error) {
      this.logger.warn(`could not look for lapsed streams: ${String(error)}`);
      return;
    }
    // One at a time, each on its own: a transfer that cannot be ended now does not hold up the rest.
    for (const transfer of lapsed) {
      try {
        if (await this.repository.failLapsedStream(transfer.ownerId, transfer.id, ErrorCode.PEER_GONE)) {
          await this.endings.announce(transfer, 'failed');
        }
      } catch (error) {
        this.logger.warn(`could not end the lapsed stream ${transfer.id}: ${String(error)}`);
      }
    }
  }
}
