import type { authV1 } from '@lexy/contracts-grpc';
import { toAuditEntry } from '@lexy/server-audit';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { dailySeries, MAX_ADMIN_PAGE_SIZE, pageLimit, seriesDayNames, seriesDays } from '@lexy/server-grpc';
import { Inject, Injectable } from '@nestjs/common';
import { AuthRepository } from '../auth/auth.repository.js';
import { UUID } from '../auth/caller.js';
import { Clock } from '../auth/clock.js';
import { ADMIN_GROUP, GROUPS, isGroupName } from '../auth/credentials.js';
import { RevocationPublisher } from '../auth/revocation-publisher.js';
import { SECURITY_LOG, type SecurityLog } from '../auth/security-log.js';
import { SessionFactory } from '../auth/session-factory.js';
import type { UserEntity } from '../auth/user.entity.js';
import { toUserContract } from '../auth/user.mapper.js';
import { requireEnabledAdmin } from './admin-caller.js';
import { UserAdminRepository } from './user-admin.repository.js';
import { parseUserListRequest, userListCursor } from './user-list-query.js';

export const MAX_GET_USERS = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The admin console's users: every call first checks, in the database, that the caller is an enabled admin. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly accounts: AuthRepository,
    private readonly repository: UserAdminRepository,
    private readonly sessions: SessionFactory,
    private readonly revocations: RevocationPublisher,
    private readonly clock: Clock,
    @Inject(SECURITY_LOG) private readonly securityLog: SecurityLog,
  ) {}

  async listUsers(request: authV1.ListUsersRequest): Promise<authV1.ListUsersResponse> {
    await requireEnabledAdmin(this.accounts);
    const query = parseUserListRequest(request);
    const rows = await this.repository.listUsers(query);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: items.map(toUserContract),
      nextCursor: rows.length > query.limit && last ? userListCursor(query, last) : '',
    };
  }

  async getUsers(request: authV1.GetUsersRequest): Promise<authV1.GetUsersResponse> {
    await requireEnabledAdmin(this.accounts);
    const ids = request.userIds ?? [];
    if (ids.length > MAX_GET_USERS) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, `At most ${MAX_GET_USERS} user ids at once`, {
        field: 'userIds',
        maxItems: MAX_GET_USERS,
      });
    }
    // An id that is not a user id names no user: it is left out like any unknown id.
    const wellFormed = [...new Set(ids)].filter((id) => typeof id === 'string' && UUID.test(id));
    return { items: (await this.repository.findUsers(wellFormed)).map(toUserContract) };
  }

  /**
   * Changes a user's group or disabled flag and records it ("user.update") in the same
   * transaction. An admin cannot disable or demote themself, so the platform keeps an admin.
   */
  async updateUser(request: authV1.UpdateUserRequest): Promise<authV1.UpdateUserResponse> {
    const admin = await requireEnabledAdmin(this.accounts);
    if (request.group !== undefined && !isGroupName(request.group)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Unknown group', { field: 'group', allowed: [...GROUPS] });
    }
    if (typeof request.userId !== 'string' || !UUID.test(request.userId)) throw userNotFound();
    if (request.userId === admin.id) {
      if (request.disabled === true) throw cannotChangeSelf('disabled', 'An administrator cannot disable themself');
      if (request.group !== undefined && request.group !== ADMIN_GROUP) {
        throw cannotChangeSelf('group', 'An administrator cannot leave the admin group themself');
      }
    }

    const userId = request.userId;
    const now = this.clock.now();
    const result = await this.accounts.updateUser(
      userId,
      { groupName: request.group, disabled: request.disabled },
      now,
      this.sessions.liveAfter(now),
      (before, after) => ({
        actorId: admin.id,
        action: 'user.update',
        target: `user:${userId}`,
        before: auditedFields(before),
        after: auditedFields(after),
      }),
    );
    if (!result) throw userNotFound();
    if (request.disabled === true) await this.revocations.userDisabled(userId, result.revokedFamilyIds);
    if (request.disabled === false) await this.revocations.userEnabled(userId);
    this.securityLog.info(
      { event: 'user_updated', userId, by: admin.id, group: request.group, disabled: request.disabled },
      'user changed by an administrator',
    );
    return { user: toUserContract(result.user) };
  }

  async getUserStats(request: authV1.GetUserStatsRequest): Promise<authV1.GetUserStatsResponse> {
    await requireEnabledAdmin(this.accounts);
    const dayNames = seriesDayNames(seriesDays(request.days), this.clock.now().getTime());
    const from = new Date(`${dayNames[0]}T00:00:00.000Z`);
    const until = new Date(Date.parse(`${dayNames.at(-1)}T00:00:00.000Z`) + DAY_MS);
    const [users, perDay] = await Promise.all([
      this.repository.countRegisteredUsers(),
      this.repository.registrationsPerDay(from, until),
    ]);
    const figures = new Map([...perDay].map(([day, count]) => [day, { count }]));
    return { users, newUsers: dailySeries(dayNames, figures) };
  }

  async listAudit(request: authV1.ListAuditRequest): Promise<authV1.ListAuditResponse> {
    await requireEnabledAdmin(this.accounts);
    const limit = pageLimit(request.page?.limit, MAX_ADMIN_PAGE_SIZE);
    const page = await this.repository.listAudit(limit, request.page?.cursor ?? '');
    return { items: page.items.map(toAuditEntry), nextCursor: page.nextCursor };
  }
}

/** What user.update records of a user, before and after. */
function auditedFields(user: UserEntity): { group: string; disabled: boolean } {
  return { group: user.groupName, disabled: user.disabledAt !== null };
}

function cannotChangeSelf(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field });
}

function userNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'User not found');
}
