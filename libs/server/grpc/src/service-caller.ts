import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { Caller } from './caller-token.js';
import { requireCaller } from './request-context.interceptor.js';

/**
 * The caller a platform worker signs for itself (IDENTITY_KIND_SERVICE), e.g. the cleanup
 * worker acting on every owner's files. Owner-scoped calls refuse it (it owns nothing), and
 * maintenance calls accept nothing else.
 */
export function serviceCaller(name: string): Caller {
  return { ownerId: `service:${name}`, group: 'service', kind: commonV1.IdentityKind.IDENTITY_KIND_SERVICE };
}

export function isServiceCaller(caller: Caller): boolean {
  return caller.kind === commonV1.IdentityKind.IDENTITY_KIND_SERVICE;
}

/** The verified caller of a maintenance call: UNAUTHENTICATED without one, FORBIDDEN unless it is a service. */
export function requireServiceCaller(): Caller {
  const caller = requireCaller();
  if (!isServiceCaller(caller)) throw new DomainError(ErrorCode.FORBIDDEN, 'Only platform services may call this');
  return caller;
}

/**
 * The verified caller of an admin call: a user of group `admin` (as the gateway signed it).
 * Anyone else gets ADMIN_REQUIRED (PERMISSION_DENIED), whatever the gateway's own guard did.
 * The auth service checks the group against its database as well.
 */
export function requireAdminCaller(): Caller {
  const caller = requireCaller();
  if (caller.kind !== commonV1.IdentityKind.IDENTITY_KIND_USER || caller.group !== 'admin') {
    throw new DomainError(ErrorCode.ADMIN_REQUIRED, 'Only administrators may do this');
  }
  return caller;
}
