import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { requireCaller } from '@lexy/server-grpc';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The signed-in user the call acts for; callers that are not users (addresses) cannot act here. */
export function callerUserId(): string {
  const caller = requireCaller();
  if (caller.kind !== commonV1.IdentityKind.IDENTITY_KIND_USER || !UUID.test(caller.ownerId)) throw unauthenticated();
  return caller.ownerId;
}

export function unauthenticated(): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, 'The caller could not be authenticated');
}
