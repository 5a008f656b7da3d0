import { listAudit, type AuditPage } from '@lexy/server-audit';
import { LIKE_ESCAPE, sortAfter, sortOrderBy } from '@lexy/server-database';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { UserSchema, type UserEntity } from '../auth/user.entity.js';
import { USER_SORT_KEYS, type UserListQuery } from './user-list-query.js';

/**
 * The admin console's reads of lexy_auth. Registered users are those with an email:
 * anonymous identities never have one, even when an admin moves a registered user into
 * the anonymous group.
 */
@Injectable()
export class UserAdminRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of registered users, plus one more when there is a next page. */
  listUsers(query: UserListQuery): Promise<UserEntity[]> {
    const key = USER_SORT_KEYS[query.sort];
    const direction = query.descending ? 'desc' : 'asc';
    const select = this.dataSource.getRepository(UserSchema).createQueryBuilder('u').where('u.email IS NOT NULL');
    if (query.pattern !== null) {
      // A parameter, its wildcards escaped by containsPattern; the column collation makes it case-insensitive.
      select.andWhere(
        `(u.email LIKE :pattern ESCAPE '${LIKE_ESCAPE}' OR u.displayName LIKE :pattern ESCAPE '${LIKE_ESCAPE}')`,
        { pattern: query.pattern },
      );
    }
    if (query.group !== null) select.andWhere('u.groupName = :group', { group: query.group });
    if (query.disabled !== null) select.andWhere(`u.disabledAt IS ${query.disabled ? 'NOT NULL' : 'NULL'}`);
    if (query.after !== null) {
      const after = sortAfter(key, 'u.id', direction, query.after);
      select.andWhere(after.sql, after.parameters);
    }
    return select
      .orderBy(Object.fromEntries(sortOrderBy(key, 'u.id', direction)))
      .limit(query.limit + 1)
      .getMany();
  }

  /** The users among `ids`, anonymous ones included; unknown ids are left out. */
  findUsers(ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(UserSchema).findBy({ id: In([...ids]) });
  }

  async countRegisteredUsers(): Promise<number> {
    const rows = (await this.dataSource.query('SELECT COUNT(*) AS users FROM users WHERE email IS NOT NULL')) as Array<{
      users: number | string;
    }>;
    return Number(rows[0]?.users ?? 0);
  }

  /** Registrations per UTC day (`YYYY-MM-DD`, times are stored in UTC) from `from` until before `until`. */
  async registrationsPerDay(from: Date, until: Date): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS day, COUNT(*) AS users FROM users
        WHERE email IS NOT NULL AND created_at >= ? AND created_at < ?
        GROUP BY day`,
      [from, until],
    )) as Array<{ day: string; users: number | string }>;
    return new Map(rows.map((row) => [row.day, Number(row.users)]));
  }

  listAudit(limit: number, cursor: string): Promise<AuditPage> {
    return listAudit(this.dataSource.manager, limit, cursor);
  }
}
