import { createHash } from 'node:crypto';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable, Logger } from '@nestjs/common';
import type { FileEntity } from './file.entity.js';
import { isWellFormedPin } from './pin.js';
import {
  chargePinAttempt,
  refundPinAttempt,
  type ChargeDecision,
  type PinCharge,
  type PinRefusal,
} from './pin-attempt-policy.js';
import { PinAttemptsRepository } from './pin-attempts.repository.js';
import { PinHasher } from './pin-hasher.js';

export interface PinPresentation {
  pin: string | undefined;
  /** The client-address key of the request, from the gateway. */
  source: string;
  /** Whether the request carried the file's share-link token. */
  linkTokenHolder: boolean;
}

const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Checks the PIN of a pickup under the failure caps of pin-attempt-policy. */
@Injectable()
export class PinGate {
  private readonly logger = new Logger(PinGate.name);

  constructor(
    private readonly attempts: PinAttemptsRepository,
    private readonly hasher: PinHasher,
  ) {}

  /**
   * Passes when the file has no PIN or the right one was presented; otherwise throws
   * PIN_REQUIRED (nothing presented, nothing counted), RATE_LIMITED or PIN_LOCKED (a cap,
   * checked before any verification), PIN_INVALID, or PICKUP_CODE_NOT_FOUND when the file
   * vanished meanwhile.
   */
  async check(file: FileEntity, { pin, source, linkTokenHolder }: PinPresentation): Promise<void> {
    if (file.pinHash === null) return;
    if (!pin) throw new DomainError(ErrorCode.PIN_REQUIRED, 'This file needs its PIN');

    // Hashed: the table never holds an address, and the key has a fixed length.
    const sourceHash = sha256Hex(source);
    const decision = await this.attempts.change<ChargeDecision>(file.id, sourceHash, (counters, now) => {
      const outcome = chargePinAttempt(counters, now, linkTokenHolder);
      return 'charged' in outcome ? { result: outcome, next: outcome.charged.counters } : { result: outcome };
    });
    if (decision === null) throw new DomainError(ErrorCode.PICKUP_CODE_NOT_FOUND, 'Pickup code not found');
    if ('refused' in decision) throw refusalError(decision.refused);

    // A malformed PIN cannot be right; it is charged all the same, without the argon2 work.
    const right = isWellFormedPin(pin) && (await this.hasher.verify(file.pinHash, pin));
    if (!right) throw new DomainError(ErrorCode.PIN_INVALID, 'The PIN is not right');
    await this.refund(file.id, sourceHash, decision.charged);
  }

  private async refund(fileId: string, sourceHash: string, charge: PinCharge): Promise<void> {
    try {
      await this.attempts.change(fileId, sourceHash, (counters) => ({
        result: undefined,
        next: refundPinAttempt(counters, charge),
      }));
    } catch (error) {
      // Best effort: a lost refund only counts one right PIN as a failure.
      this.logger.warn(`could not give back a PIN attempt on file ${fileId}: ${(error as Error).message}`);
    }
  }
}

function refusalError(refusal: PinRefusal): DomainError {
  if (refusal.kind === 'closed') {
    return new DomainError(
      ErrorCode.PIN_LOCKED,
      'Too many wrong PINs: this file cannot be picked up with its PIN until its owner reopens it',
    );
  }
  return new DomainError(ErrorCode.RATE_LIMITED, 'Too many wrong PINs; try again later', {
    retryAfterSeconds: refusal.retryAfterSeconds,
  });
}
