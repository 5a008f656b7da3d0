import { Injectable, Logger } from '@nestjs/common';
import type { ServerEvent } from '../socket/socket-frames.js';
import { toTransferJson } from './transfer-json.js';
import { TransfersRepository } from './transfers.repository.js';

/** What PendingOffers needs of a socket that just became ready. */
export interface ReadySocket {
  readonly device: { ownerId: string; deviceId: string };
  send(event: ServerEvent): void;
}

/**
 * Tells a device that comes online of the offers waiting for it. `transfer.offered` is published
 * once, when the offer is made, and reaches only the sockets open then: an offer made while the
 * receiver was offline (a stored one above all, made for that very reason) would never be
 * heard of. So every socket that becomes ready is sent `transfer.offered` for each offer still
 * pending to its device, oldest first. A device may hear of an offer twice (made while it was
 * connecting); the transfer id tells them apart.
 */
@Injectable()
export class PendingOffers {
  private readonly logger = new Logger('pending-offers');

  constructor(private readonly repository: TransfersRepository) {}

  /** Never throws, and does not hold up the socket: it keeps its own errors (logged). */
  announceTo(socket: ReadySocket): void {
    void this.send(socket).catch((error: unknown) => {
      this.logger.warn(`could not announce pending offers to device ${socket.device.deviceId}: ${String(error)}`);
    });
  }

  private async send(socket: ReadySocket): Promise<void> {
    const { ownerId, deviceId } = socket.device;
    const offers = await this.repository.pendingOffersTo(ownerId, deviceId);
    if (offers.length === 0) return;
    const now = await this.repository.now();
    for (const transfer of offers) socket.send({ type: 'transfer.offered', transfer: toTransferJson(transfer, now) });
  }
}
