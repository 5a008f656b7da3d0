import { commonV1, type authV1 } from '@lexy/contracts-grpc';
import { encodeSortCursor } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { UserEntity } from '../auth/user.entity.js';
import { parseUserListRequest, userListCursor } from './user-list-query.js';

const request = (fields: Partial<authV1.ListUsersRequest> = {}): authV1.ListUsersRequest => ({
  query: '',
  group: '',
  sort: '',
  order: commonV1.SortOrder.SORT_ORDER_UNSPECIFIED,
  page: undefined,
  ...fields,
});

const user: UserEntity = {
  id: '0190f4a2-0000-7000-8000-00000000000a',
  groupName: 'normal',
  email: 'ann|o@example.test',
  passwordHash: null,
  displayName: null,
  fingerprintHash: null,
  disabledAt: null,
  createdAt: new Date('2026-11-25T10:11:12.345Z'),
};

function refusal(call: () => unknown): { code: string; field: unknown } {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details['field'] };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseUserListRequest', () => {
  it('defaults to every registered user, newest first, 50 a page', () => {
    expect(parseUserListRequest(request())).toMatchObject({
      pattern: null,
      group: null,
      disabled: null,
      sort: 'createdAt',
      descending: true,
      limit: 50,
      after: null,
    });
  });

  it('sorts emails A to Z unless told otherwise', () => {
    expect(parseUserListRequest(request({ sort: 'email' })).descending).toBe(false);
    expect(parseUserListRequest(request({ sort: 'email', order: commonV1.SortOrder.SORT_ORDER_DESC })).descending).toBe(
      true,
    );
    expect(parseUserListRequest(request({ order: commonV1.SortOrder.SORT_ORDER_ASC })).descending).toBe(false);
  });

  it('makes the search text a trimmed, NFC, escaped substring pattern', () => {
    expect(parseUserListRequest(request({ query: '  50%_off  ' })).pattern).toBe('%50!%!_off%');
    expect(parseUserListRequest(request({ query: 'jose\u0301' })).pattern).toBe('%jos\u00e9%');
    expect(parseUserListRequest(request({ query: '   ' })).pattern).toBeNull();
  });

  it('counts the search length in characters: 254 pass, 255 do not', () => {
    expect(parseUserListRequest(request({ query: '\u{1F600}'.repeat(254) })).pattern).not.toBeNull();
    expect(refusal(() => parseUserListRequest(request({ query: 'x'.repeat(255) })))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      field: 'query',
    });
  });

  it('caps the page at 100', () => {
    expect(parseUserListRequest(request({ page: { limit: 1000, cursor: '' } })).limit).toBe(100);
  });

  it.each([
    [{ sort: 'password' }, 'sort'],
    [{ sort: 'EMAIL' }, 'sort'],
    [{ order: 3 as commonV1.SortOrder }, 'order'],
    [{ group: 'root' }, 'group'],
    [{ page: { limit: -1, cursor: '' } }, 'limit'],
    [{ page: { limit: 1, cursor: 'nope' } }, 'cursor'],
  ])('refuses %p (field %s)', (fields, field) => {
    expect(refusal(() => parseUserListRequest(request(fields)))).toEqual({ code: ErrorCode.VALIDATION_FAILED, field });
  });
});

describe('user list cursors', () => {
  it('continue after the last user of the page, in the terms of the sort', () => {
    for (const [sort, value] of [
      ['createdAt', user.createdAt],
      ['email', user.email],
    ] as const) {
      const first = parseUserListRequest(request({ sort }));
      const next = parseUserListRequest(request({ sort, page: { limit: 0, cursor: userListCursor(first, user) } }));
      expect(next.after).toEqual({ value, id: user.id });
    }
  });

  it('are bound to the sort, the direction and the filters', () => {
    const cursor = userListCursor(parseUserListRequest(request({ sort: 'email', group: 'vip' })), user);
    for (const other of [
      request({ group: 'vip' }),
      request({ sort: 'email', group: 'vip', order: commonV1.SortOrder.SORT_ORDER_DESC }),
      request({ sort: 'email', group: 'normal' }),
      request({ sort: 'email', group: 'vip', query: 'ann' }),
      request({ sort: 'email', group: 'vip', disabled: true }),
    ]) {
      expect(refusal(() => parseUserListRequest({ ...other, page: { limit: 0, cursor } }))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'cursor',
      });
    }
    const same = request({ sort: 'email', group: 'vip', page: { limit: 0, cursor } });
    expect(parseUserListRequest(same).after?.value).toBe(user.email);
  });

  it('refuse a createdAt cursor that does not hold a time', () => {
    const scope = parseUserListRequest(request()).scope;
    for (const value of ['yesterday', 12345, '2026-11-25T10:11:12Z']) {
      const cursor = encodeSortCursor(scope, { value, id: user.id });
      expect(refusal(() => parseUserListRequest(request({ page: { limit: 0, cursor } })))).toEqual({
        code: ErrorCode.VALIDATION_FAILED,
        field: 'cursor',
      });
    }
  });
});
