import { Injectable } from '@nestjs/common';
import { AccountEvents } from '../events/account-events.js';
import { toTransferJson } from '../transfers/transfer-json.js';
import type { TransferState } from '../transfers/transfer-state-machine.js';
import type { TransferEntity } from '../transfers/transfer.entity.js';
import { TransfersRepository, type TransitionChanges } from '../transfers/transfers.repository.js';

export type StreamOutcome = 'completed' | 'failed';

/** Ends relayed transfers: one conditional move in the database, then both devices told, on every replica. */
@Injectable()
export class TransferEndings {
  constructor(
    private readonly repository: TransfersRepository,
    private readonly events: AccountEvents,
  ) {}

  /**
   * Moves the transfer from `from` and announces it. A move that loses (a device cancelled, or
   * another replica ended it meanwhile) is not announced: the winner announced its own.
   */
  async end(
    transfer: TransferEntity,
    from: TransferState,
    to: StreamOutcome,
    changes: TransitionChanges,
  ): Promise<void> {
    if (await this.repository.moveIfStill(transfer.ownerId, transfer.id, from, to, changes)) {
      await this.announce(transfer, to);
    }
  }

  /** Tells both devices the transfer is now `to`, in the REST shape. */
  async announce({ ownerId, id }: TransferEntity, to: StreamOutcome): Promise<void> {
    const moved = await this.repository.findTransfer(ownerId, id);
    if (!moved) return;
    await this.events.publish({
      ownerId,
      deviceIds: [moved.fromDeviceId, moved.toDeviceId],
      event: { type: `transfer.${to}`, transfer: toTransferJson(moved, await this.repository.now()) },
    });
  }
}
