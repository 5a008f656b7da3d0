import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { isServiceCaller, requireCaller } from '@lexy/server-grpc';

const MAX_OWNER_ID_LENGTH = 96;
const MAX_GROUP_LENGTH = 32;

const KNOWN_IDENTITY_KINDS: ReadonlySet<number> = new Set([
  commonV1.IdentityKind.IDENTITY_KIND_USER,
  commonV1.IdentityKind.IDENTITY_KIND_ADDRESS,
  commonV1.IdentityKind.IDENTITY_KIND_FINGERPRINT,
]);

/** Who a call acts for. */
export interface Owner {
  ownerId: string;
  group: string;
}

/**
 * Checks a verified caller: its signature proves who made it, not that it is usable
 * here, so oversized ids and an unspecified identity kind (common.proto) are refused, and a
 * platform service (the cleanup worker), which owns no files, is FORBIDDEN.
 */
export function toOwner(caller: commonV1.Caller): Owner {
  const { ownerId, group, kind } = caller;
  if (!ownerId || ownerId.length > MAX_OWNER_ID_LENGTH || !group || group.length > MAX_GROUP_LENGTH) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'A caller with an owner id and a group is required');
  }
  if (isServiceCaller(caller)) throw new DomainError(ErrorCode.FORBIDDEN, 'A platform service owns no files');
  if (!KNOWN_IDENTITY_KINDS.has(kind)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The caller identity kind is required');
  }
  return { ownerId, group };
}

/**
 * The owner the current call acts for: only ever the caller of the signed `lexy-caller`
 * metadata, never an id from the request (AUTH-08). UNAUTHENTICATED without one.
 */
export function requireOwner(): Owner {
  return toOwner(requireCaller());
}
