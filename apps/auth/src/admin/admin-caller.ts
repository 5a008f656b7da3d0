import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { AuthRepository } from '../auth/auth.repository.js';
import { callerUserId } from '../auth/caller.js';
import { ADMIN_GROUP } from '../auth/credentials.js';
import type { UserEntity } from '../auth/user.entity.js';

/**
 * The administrator an admin call acts for: UNAUTHENTICATED without a user caller, and
 * ADMIN_REQUIRED unless that user is, in the database, of group admin and not disabled. The
 * group in the caller token is not trusted, so a demoted or disabled admin loses the right at once.
 */
export async function requireEnabledAdmin(repository: AuthRepository): Promise<UserEntity> {
  const caller = await repository.findUserById(callerUserId());
  if (!caller || caller.groupName !== ADMIN_GROUP || caller.disabledAt) {
    throw new DomainError(ErrorCode.ADMIN_REQUIRED, 'Only administrators may do this');
  }
  return caller;
}
