import { quotasV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';

const { LimitKind } = quotasV1;

/** The two limits of a group that bound a reservation; null means unlimited. */
export interface StorageLimits {
  maxFileBytes: number | null;
  storageBytes: number | null;
}

/** An owner's counters at the moment of reserving (read under the account lock). */
export interface AccountBalance {
  usedBytes: number;
  reservedBytes: number;
}

export type ReservationPlan =
  | { ok: true; bytes: number | null; limitedBy: quotasV1.LimitKind }
  | { ok: false; code: ErrorCode.FILE_TOO_LARGE; details: { maxFileBytes: number } }
  | { ok: false; code: ErrorCode.STORAGE_QUOTA_EXCEEDED; details: { remainingBytes: number } };

/**
 * Decides how much storage a new upload may hold. With a declared size the reservation
 * is exactly that size or refused; without one it is as large as the limits allow.
 * `limitedBy` names the tighter of the two limits (the file size limit on a tie), so an
 * upload that runs past the reservation is reported with the error that really stopped it.
 */
export function planReservation(limits: StorageLimits, account: AccountBalance, requested?: number): ReservationPlan {
  const { maxFileBytes } = limits;
  // Negative when an admin lowered the group's storage below what the owner already holds.
  const remaining =
    limits.storageBytes === null ? null : limits.storageBytes - account.usedBytes - account.reservedBytes;
  const limitedBy = tighterLimit(maxFileBytes, remaining);

  if (requested !== undefined) {
    if (maxFileBytes !== null && requested > maxFileBytes) {
      return { ok: false, code: ErrorCode.FILE_TOO_LARGE, details: { maxFileBytes } };
    }
    if (remaining !== null && requested > remaining) {
      return storageExceeded(remaining);
    }
    return { ok: true, bytes: requested, limitedBy };
  }

  if (remaining !== null && remaining <= 0) return storageExceeded(remaining);
  if (maxFileBytes === null && remaining === null) return { ok: true, bytes: null, limitedBy };
  const bytes = Math.min(maxFileBytes ?? Number.POSITIVE_INFINITY, remaining ?? Number.POSITIVE_INFINITY);
  return { ok: true, bytes, limitedBy };
}

function tighterLimit(maxFileBytes: number | null, remaining: number | null): quotasV1.LimitKind {
  if (maxFileBytes === null && remaining === null) return LimitKind.LIMIT_KIND_UNSPECIFIED;
  if (remaining === null) return LimitKind.LIMIT_KIND_MAX_FILE_SIZE;
  if (maxFileBytes === null) return LimitKind.LIMIT_KIND_STORAGE;
  return maxFileBytes <= remaining ? LimitKind.LIMIT_KIND_MAX_FILE_SIZE : LimitKind.LIMIT_KIND_STORAGE;
}

function storageExceeded(remaining: number): ReservationPlan {
  return { ok: false, code: ErrorCode.STORAGE_QUOTA_EXCEEDED, details: { remainingBytes: Math.max(0, remaining) } };
}
