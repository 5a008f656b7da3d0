// The transfer state machine, and nothing else: which state may follow which. Every change
// of a transfer's status, from a gRPC call now or from the WebSocket and cleanup code later,
// asks this table first and is then applied as one conditional UPDATE on the state it read.

export const TRANSFER_STATES = [
  'pending',
  'accepted',
  'streaming',
  'completed',
  'rejected',
  'cancelled',
  'failed',
  'expired',
] as const;

import type { TransferModeName } from './transfer.entity.js';

export type TransferState = (typeof TRANSFER_STATES)[number];

/** The one table of allowed transitions; a state missing on the left has no way out. */
const TRANSITIONS: Readonly<Record<TransferState, readonly TransferState[]>> = {
  // Offered: the receiver answers, a device calls it off, or nobody answers in time.
  pending: ['accepted', 'rejected', 'cancelled', 'expired'],
  // Accepted, no byte moved yet: the first frame starts streaming.
  accepted: ['streaming', 'cancelled', 'failed'],
  // Bytes moving: the receiver confirms the checksums, or it ends early.
  streaming: ['completed', 'cancelled', 'failed'],
  completed: [],
  rejected: [],
  cancelled: [],
  failed: [],
  expired: [],
};

/**
 * Moves only a transfer of one mode may make, beside the table's. A `stored` transfer's bytes
 * are already the sender's uploaded files: once accepted there is nothing to stream, so it is
 * delivered (the receiver downloads the files itself).
 */
const MODE_TRANSITIONS: Readonly<
  Partial<Record<TransferModeName, Partial<Record<TransferState, readonly TransferState[]>>>>
> = {
  stored: { accepted: ['completed'] },
};

/** Whether `to` may follow `from`; `mode` adds that mode's own moves (none without it). */
export function canTransition(from: TransferState, to: TransferState, mode?: TransferModeName): boolean {
  if (TRANSITIONS[from].includes(to)) return true;
  return mode !== undefined && (MODE_TRANSITIONS[mode]?.[from]?.includes(to) ?? false);
}

/** Every state `to` can be reached from (e.g. what "cancel every open transfer" may touch). */
export function statesLeadingTo(to: TransferState): TransferState[] {
  return TRANSFER_STATES.filter((from) => canTransition(from, to));
}

/** A state nothing follows: the transfer is over. */
export function isFinal(state: TransferState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** The states of a transfer that is not over yet. */
export const OPEN_STATES: readonly TransferState[] = TRANSFER_STATES.filter((state) => !isFinal(state));

/**
 * What the clock must say for a move to happen: an offer can be answered (or called off) only
 * before it expires, and only an offer past its expiry can expire. The conditional UPDATE that
 * applies the move checks it with the database clock, so an answer and the expiry never both win.
 */
export type ExpiryCondition = 'before-expiry' | 'past-expiry' | 'none';

export function expiryConditionOf(from: TransferState, to: TransferState): ExpiryCondition {
  if (from !== 'pending') return 'none';
  return to === 'expired' ? 'past-expiry' : 'before-expiry';
}

/** What a device may ask for through ChangeTransferState; the other moves are the relay's own. */
export type DeviceAction = 'accept' | 'reject' | 'cancel';

const ACTION_TARGETS: Readonly<Record<DeviceAction, TransferState>> = {
  accept: 'accepted',
  reject: 'rejected',
  cancel: 'cancelled',
};

/** The state a device's action moves a transfer to (whether it may is canTransition's call). */
export function targetOf(action: DeviceAction): TransferState {
  return ACTION_TARGETS[action];
}

export function isTransferState(value: unknown): value is TransferState {
  return typeof value === 'string' && (TRANSFER_STATES as readonly string[]).includes(value);
}
