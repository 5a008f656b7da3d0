import { toTimestamp, type authV1 } from '@lexy/contracts-grpc';
import type { UserEntity } from './user.entity.js';

export function toUserContract(user: UserEntity): authV1.User {
  return {
    id: user.id,
    group: user.groupName,
    createdAt: toTimestamp(user.createdAt),
    email: user.email ?? '',
    displayName: user.displayName ?? '',
    disabled: user.disabledAt !== null,
  };
}
