import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { requireCaller } from '@lexy/server-grpc';

/** The longest owner id the tables hold (the same key the other services store). */
const MAX_OWNER_ID_LENGTH = 96;
/** Guests have an owner id too, but devices and transfers are for registered accounts. */
const ANONYMOUS_GROUP = 'anonymous';

/** The account a call acts for: every device and transfer it may see is this owner's. */
export interface Account {
  ownerId: string;
}

/**
 * Checks a verified caller: its signature proves who made it, not that it may use the relay.
 * Only a registered user (IDENTITY_KIND_USER outside the anonymous group) has devices; a guest,
 * an address or fingerprint identity and a platform service are RELAY_FORBIDDEN.
 */
export function toAccount(caller: commonV1.Caller): Account {
  if (caller.kind !== commonV1.IdentityKind.IDENTITY_KIND_USER || caller.group === ANONYMOUS_GROUP) {
    throw new DomainError(ErrorCode.RELAY_FORBIDDEN, 'Devices and transfers are for registered accounts only');
  }
  if (!caller.ownerId || caller.ownerId.length > MAX_OWNER_ID_LENGTH || !caller.group) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'A caller with an owner id and a group is required');
  }
  return { ownerId: caller.ownerId };
}

/**
 * The account the current call acts for: only ever the caller of the signed `lexy-caller`
 * metadata, never an id from the request (AUTH-08). UNAUTHENTICATED without one.
 */
export function requireAccount(): Account {
  return toAccount(requireCaller());
}
