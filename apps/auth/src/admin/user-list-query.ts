import { commonV1, type authV1 } from '@lexy/contracts-grpc';
import { containsPattern, decodeSortCursor, encodeSortCursor, type SortKey } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { MAX_ADMIN_PAGE_SIZE, pageLimit } from '@lexy/server-grpc';
import { characterCount, GROUPS, isGroupName, type GroupName } from '../auth/credentials.js';
import type { UserEntity } from '../auth/user.entity.js';

// ListUsers' request, checked and turned into what the repository runs (docs/api.md § Admin).

export const MAX_USER_QUERY_LENGTH = 254;
export const USER_SORTS = ['createdAt', 'email'] as const;
export type UserSort = (typeof USER_SORTS)[number];

/** Where the previous page ended, in the terms of the sort: a creation time or an email. */
export interface UserListPosition {
  value: Date | string;
  id: string;
}

export interface UserListQuery {
  /** A LIKE pattern matching the search text anywhere, its wildcards escaped; null for every user. */
  pattern: string | null;
  group: GroupName | null;
  disabled: boolean | null;
  sort: UserSort;
  descending: boolean;
  limit: number;
  after: UserListPosition | null;
  /** The sort, direction and filters, which a cursor of this list is bound to. */
  scope: string;
}

/** The column each sort reads, as the repository's query names it. */
export const USER_SORT_KEYS: Record<UserSort, SortKey> = {
  createdAt: { column: 'u.createdAt', kind: 'date' },
  email: { column: 'u.email', kind: 'string' },
};

export function parseUserListRequest(request: authV1.ListUsersRequest): UserListQuery {
  const raw = typeof request.query === 'string' ? request.query : '';
  if (characterCount(raw) > MAX_USER_QUERY_LENGTH) {
    throw invalid('query', `The search text is longer than ${MAX_USER_QUERY_LENGTH} characters`, {
      maxLength: MAX_USER_QUERY_LENGTH,
    });
  }
  // Emails and display names are stored in NFC, so the search text is compared in NFC too.
  const text = raw.normalize('NFC').trim();
  const group = request.group || null;
  if (group !== null && !isGroupName(group)) throw invalid('group', 'Unknown group', { allowed: [...GROUPS] });
  const sort = request.sort || 'createdAt';
  if (!isUserSort(sort)) throw invalid('sort', 'Unknown sort key', { allowed: [...USER_SORTS] });
  const descending = isDescending(request.order, sort);
  const disabled = typeof request.disabled === 'boolean' ? request.disabled : null;
  const limit = pageLimit(request.page?.limit, MAX_ADMIN_PAGE_SIZE);
  const scope = JSON.stringify(['users', sort, descending ? 'desc' : 'asc', text, group, disabled]);
  const cursor = request.page?.cursor ?? '';
  return {
    pattern: text === '' ? null : containsPattern(text),
    group,
    disabled,
    sort,
    descending,
    limit,
    after: cursor === '' ? null : positionOf(scope, sort, cursor),
    scope,
  };
}

/** The cursor of the page that follows `last`. */
export function userListCursor(query: UserListQuery, last: UserEntity): string {
  const value = query.sort === 'email' ? (last.email ?? '') : last.createdAt;
  return encodeSortCursor(query.scope, { value, id: last.id });
}

function isUserSort(sort: string): sort is UserSort {
  return (USER_SORTS as readonly string[]).includes(sort);
}

/** Unspecified means the sort's natural direction: newest first, emails A to Z. */
function isDescending(order: commonV1.SortOrder | undefined, sort: UserSort): boolean {
  switch (order ?? commonV1.SortOrder.SORT_ORDER_UNSPECIFIED) {
    case commonV1.SortOrder.SORT_ORDER_UNSPECIFIED:
      return sort === 'createdAt';
    case commonV1.SortOrder.SORT_ORDER_ASC:
      return false;
    case commonV1.SortOrder.SORT_ORDER_DESC:
      return true;
    default:
      throw invalid('order', 'Unknown sort order', { allowed: ['asc', 'desc'] });
  }
}

function positionOf(scope: string, sort: UserSort, cursor: string): UserListPosition {
  const position = decodeSortCursor(cursor, scope, USER_SORT_KEYS[sort]);
  if (!position || typeof position.value === 'number')
    throw invalid('cursor', 'The cursor is not one this list gave out');
  return { value: position.value, id: position.id };
}

function invalid(field: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field, ...details });
}
