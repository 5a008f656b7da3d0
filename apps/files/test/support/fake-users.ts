import type { authV1 } from '@lexy/contracts-grpc';
import { requireCaller } from '@lexy/server-grpc';
import type { UsersClient } from '../../src/files/files.dependencies.js';

/**
 * The auth service's user directory in memory: the groups of the users a test registers,
 * with every GetUsers call recorded with the caller it acted for (an administrator's).
 */
export class FakeUsers implements UsersClient {
  readonly groups = new Map<string, string>();
  readonly calls: Array<{ userIds: string[]; callerId: string }> = [];

  async getUsers(request: authV1.GetUsersRequest): Promise<authV1.GetUsersResponse> {
    this.calls.push({ userIds: request.userIds, callerId: requireCaller().ownerId });
    const items = request.userIds.flatMap((id) => {
      const group = this.groups.get(id);
      return group === undefined
        ? []
        : [{ id, group, createdAt: undefined, email: '', displayName: '', disabled: false }];
    });
    return { items };
  }
}
