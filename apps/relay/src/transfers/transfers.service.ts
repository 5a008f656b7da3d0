import { pageLimit } from '@lexy/server-grpc';
import type { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { AccountEvents } from '../events/account-events.js';
import type { Account } from '../relay/account.js';
import { batchLimit } from '../relay/batch-limit.js';
import { newId, parseId } from '../relay/ids.js';
import { deviceNotFound, transferNotFound } from '../relay/not-found.js';
import { parseTransferAction } from './transfer-action.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '@lexy/server-database';
import { toTransfer, visibleState } from './transfer.mapper.js';
import { toTransferJson } from './transfer-json.js';
import type { TransferEntity } from './transfer.entity.js';
import { isStoredOfferRequest, parseTransferOffer, type TransferOffer } from './transfer-offer.js';
import { StoredFiles } from './stored-files.js';
import { transferEventOf, type TransferEventType } from '../socket/socket-frames.js';
import { canTransition, targetOf, type TransferState } from './transfer-state-machine.js';
import { TransfersRepository, type OfferExpiry } from './transfers.repository.js';

/** The answer to a move the state machine forbids, or one that lost its race; names where the transfer is. */
export function transferStateConflict(status: TransferState): DomainError {
  return new DomainError(ErrorCode.TRANSFER_STATE_CONFLICT, `The transfer is ${status}`, { status });
}

/** Offers between the account's devices, the moves its devices ask for, and the expiry of offers nobody answered. */
@Injectable()
export class TransfersService {
  constructor(
    private readonly repository: TransfersRepository,
    private readonly events: AccountEvents,
    private readonly storedFiles: StoredFiles,
    @Inject(RELAY_CONFIG) private readonly config: RelayConfig,
  ) {}

  async createTransfer(
    { ownerId }: Account,
    request: relayV1.CreateTransferRequest,
  ): Promise<relayV1.CreateTransferResponse> {
    const { offer, expiry } = await this.offerOf(request);
    const transfer = await this.repository.createTransfer(ownerId, newId(), offer, expiry);
    if (!transfer) throw deviceNotFound();
    await this.announce(transfer, 'transfer.offered', transfer.createdAt);
    return { transfer: toTransfer(transfer, transfer.createdAt) };
  }

  async getTransfer({ ownerId }: Account, request: relayV1.GetTransferRequest): Promise<relayV1.GetTransferResponse> {
    const transfer = await this.findOwnTransfer(ownerId, request.transferId);
    return { transfer: toTransfer(transfer, await this.repository.now()) };
  }

  async listTransfers(
    { ownerId }: Account,
    request: relayV1.ListTransfersRequest,
  ): Promise<relayV1.ListTransfersResponse> {
    const limit = pageLimit(request.page?.limit);
    const cursor = request.page?.cursor ?? '';
    const after = cursor ? decodeKeysetCursor(cursor) : undefined;
    if (after === null) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The page cursor is not valid', { field: 'cursor' });
    }
    // One extra row says whether another page exists without a second query.
    const rows = await this.repository.listTransfers(ownerId, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const now = await this.repository.now();
    return {
      items: page.map((transfer) => toTransfer(transfer, now)),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor(last) : '',
    };
  }

  /**
   * Reads the transfer, asks the state machine, then applies the move as one conditional
   * UPDATE on the state it read. A forbidden move, and a move that lost its race (the
   * UPDATE found the transfer no longer in that state), are TRANSFER_STATE_CONFLICT.
   */
  async changeTransferState(
    { ownerId }: Account,
    request: relayV1.ChangeTransferStateRequest,
  ): Promise<relayV1.ChangeTransferStateResponse> {
    const target = targetOf(parseTransferAction(request.action));
    const transfer = await this.findOwnTransfer(ownerId, request.transferId);
    if (!canTransition(transfer.status, target)) throw transferStateConflict(transfer.status);
    // An accepted stored offer has nothing to stream: it is delivered at once (acceptStored).
    const storedAccept = transfer.mode === 'stored' && target === 'accepted';
    const applied = storedAccept
      ? await this.repository.acceptStored(ownerId, transfer.id)
      : await this.repository.moveIfStill(ownerId, transfer.id, transfer.status, target);
    if (!applied) throw await this.conflictAfterLosing(ownerId, transfer.id);
    const moved = await this.findOwnTransfer(ownerId, transfer.id);
    const now = await this.repository.now();
    const event = transferEventOf(storedAccept ? 'completed' : target);
    if (event) await this.announce(moved, event, now);
    return { transfer: toTransfer(moved, now) };
  }

  /**
   * RelayMaintenanceService.ExpireOffers: records as expired the offers every account already
   * sees as expired, up to `limit`, and returns them (each once, however many callers race).
   */
  async expireOffers(request: relayV1.ExpireOffersRequest): Promise<relayV1.ExpireOffersResponse> {
    const expired = await this.repository.expireOverdueOffers(batchLimit(request.limit));
    await Promise.all(expired.map((transfer) => this.announce(transfer, 'transfer.expired', transfer.updatedAt)));
    // Their status is final, so the time they are shown at does not matter: their last change.
    return { transfers: expired.map((transfer) => toTransfer(transfer, transfer.updatedAt)) };
  }

  /**
   * The offer to record, and when it expires: a relay or p2p offer after the offer TTL; a
   * stored one with the first of its files, since until then the bytes wait as the sender's files.
   */
  private async offerOf(
    request: relayV1.CreateTransferRequest,
  ): Promise<{ offer: TransferOffer; expiry: OfferExpiry }> {
    const parsed = parseTransferOffer(request);
    if (!isStoredOfferRequest(parsed)) {
      return { offer: parsed, expiry: { afterSeconds: this.config.RELAY_OFFER_TTL_SECONDS } };
    }
    const { offer, expiresAt } = await this.storedFiles.resolve(parsed, await this.repository.now());
    return { offer, expiry: { at: expiresAt } };
  }

  /**
   * Why a move did not happen: another move came first, or the transfer is an offer past its
   * expiry, which it now becomes (a conditional UPDATE too, so the expiry is recorded once).
   */
  private async conflictAfterLosing(ownerId: string, transferId: string): Promise<DomainError> {
    if (await this.repository.moveIfStill(ownerId, transferId, 'pending', 'expired')) {
      return transferStateConflict('expired');
    }
    const current = await this.repository.findTransfer(ownerId, transferId);
    if (!current) return transferNotFound();
    return transferStateConflict(visibleState(current, await this.repository.now()));
  }

  /** Tells the devices of a transfer what became of it: an offer the receiver only, a move both. */
  private announce(transfer: TransferEntity, type: TransferEventType, now: Date): Promise<void> {
    const deviceIds =
      type === 'transfer.offered' ? [transfer.toDeviceId] : [transfer.fromDeviceId, transfer.toDeviceId];
    return this.events.publish({
      ownerId: transfer.ownerId,
      deviceIds,
      event: { type, transfer: toTransferJson(transfer, now) },
    });
  }

  private async findOwnTransfer(ownerId: string, transferId: string): Promise<TransferEntity> {
    const id = parseId(transferId);
    const transfer = id ? await this.repository.findTransfer(ownerId, id) : null;
    if (!transfer) throw transferNotFound();
    return transfer;
  }
}
