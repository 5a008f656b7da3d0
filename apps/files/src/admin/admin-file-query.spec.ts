import { commonV1, filesV1 } from '@lexy/contracts-grpc';
import { encodeSortCursor } from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { aFileEntity } from '../../test/support/file-entity.js';
import {
  MAX_QUERY_LENGTH,
  parseAdminFileQuery,
  parseFileSort,
  parseNameQuery,
  parseStatusFilter,
} from './admin-file-query.js';

const { SORT_ORDER_UNSPECIFIED: UNSPECIFIED, SORT_ORDER_ASC: ASC, SORT_ORDER_DESC: DESC } = commonV1.SortOrder;
const ID = '0190f4a2-0000-7000-8000-00000000000a';

function request(overrides: Partial<filesV1.AdminListFilesRequest> = {}): filesV1.AdminListFilesRequest {
  return { ownerId: '', status: 0, query: '', sort: '', order: UNSPECIFIED, page: undefined, ...overrides };
}

function validationField(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.VALIDATION_FAILED) return error.details['field'];
    throw error;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('AdminListFiles sort', () => {
  it.each([
    ['', UNSPECIFIED, 'createdAt:desc'],
    ['createdAt', ASC, 'createdAt:asc'],
    ['size', UNSPECIFIED, 'size:desc'],
    ['size', ASC, 'size:asc'],
    ['name', UNSPECIFIED, 'name:asc'],
    ['name', DESC, 'name:desc'],
    ['expiresAt', UNSPECIFIED, 'expiresAt:desc'],
  ])('reads sort %j with order %d as %s', (sort, order, scope) => {
    expect(parseFileSort(sort, order).scope).toBe(scope);
  });

  it('maps each key to its column; a file that never expires sorts as the latest expiry', () => {
    expect(parseFileSort('size', ASC).key).toEqual({ column: 'file.size_bytes', kind: 'integer' });
    expect(parseFileSort('expiresAt', ASC).key).toEqual({ column: 'file.expires_sort', kind: 'date' });
    const file = aFileEntity({ sizeBytes: 42, name: 'x.txt', expiresAt: null });
    expect(parseFileSort('size', ASC).valueOf(file)).toBe(42);
    expect(parseFileSort('name', ASC).valueOf(file)).toBe('x.txt');
    expect(parseFileSort('expiresAt', ASC).valueOf(file)).toEqual(new Date('9999-12-31T23:59:59.999Z'));
    const expiring = aFileEntity({ expiresAt: new Date('2026-12-24T00:00:00.000Z') });
    expect(parseFileSort('expiresAt', ASC).valueOf(expiring)).toEqual(expiring.expiresAt);
  });

  it.each(['password', 'created_at', 'CREATEDAT', 'size_bytes', 'toString', '__proto__', 'name;DROP TABLE files'])(
    'refuses the sort %j',
    (sort) => {
      expect(validationField(() => parseFileSort(sort, UNSPECIFIED))).toBe('sort');
    },
  );

  it('refuses an order that is neither asc nor desc', () => {
    expect(validationField(() => parseFileSort('size', 7 as commonV1.SortOrder))).toBe('order');
  });
});

describe('AdminListFiles filters', () => {
  it('reads the status filter, unspecified meaning both', () => {
    expect(parseStatusFilter(filesV1.FileStatus.FILE_STATUS_UNSPECIFIED)).toBe('any');
    expect(parseStatusFilter(filesV1.FileStatus.FILE_STATUS_ACTIVE)).toBe('active');
    expect(parseStatusFilter(filesV1.FileStatus.FILE_STATUS_EXPIRED)).toBe('expired');
    expect(validationField(() => parseStatusFilter(filesV1.FileStatus.UNRECOGNIZED))).toBe('status');
  });

  it('makes a search a literal, case-insensitive substring: wildcards escaped', () => {
    expect(parseNameQuery('')).toBeNull();
    expect(parseNameQuery("' OR 1=1 --")).toBe("%' OR 1=1 --%");
    expect(parseNameQuery('%')).toBe('%!%%');
    expect(parseNameQuery('_')).toBe('%!_%');
    expect(parseNameQuery('a\\b')).toBe('%a\\b%');
  });

  it(`takes a search of ${MAX_QUERY_LENGTH} characters (astral ones counted once), not more`, () => {
    expect(parseNameQuery('%'.repeat(MAX_QUERY_LENGTH))).toHaveLength(2 * MAX_QUERY_LENGTH + 2);
    expect(parseNameQuery('🙂'.repeat(MAX_QUERY_LENGTH))).not.toBeNull();
    expect(validationField(() => parseNameQuery('%'.repeat(10_000)))).toBe('query');
    expect(validationField(() => parseNameQuery('a'.repeat(MAX_QUERY_LENGTH + 1)))).toBe('query');
  });

  it('takes an exact owner key, never one longer than any', () => {
    expect(parseAdminFileQuery(request({ ownerId: 'ip:203.0.113.7' })).ownerId).toBe('ip:203.0.113.7');
    expect(parseAdminFileQuery(request()).ownerId).toBeNull();
    expect(validationField(() => parseAdminFileQuery(request({ ownerId: 'x'.repeat(97) })))).toBe('ownerId');
  });
});

describe('AdminListFiles paging', () => {
  it('pages 50 by default and at most 100', () => {
    expect(parseAdminFileQuery(request()).limit).toBe(50);
    expect(parseAdminFileQuery(request({ page: { limit: 1_000_000, cursor: '' } })).limit).toBe(100);
    expect(validationField(() => parseAdminFileQuery(request({ page: { limit: -1, cursor: '' } })))).toBe('limit');
  });

  it('takes a cursor only with the sort and order it was made for', () => {
    const cursor = encodeSortCursor('size:asc', { value: 10, id: ID });
    expect(parseAdminFileQuery(request({ sort: 'size', order: ASC, page: { limit: 0, cursor } })).after).toEqual({
      value: 10,
      id: ID,
    });
    for (const other of [
      request({ sort: 'size', order: DESC, page: { limit: 0, cursor } }),
      request({ sort: 'name', order: ASC, page: { limit: 0, cursor } }),
      request({ page: { limit: 0, cursor } }),
      request({ sort: 'size', order: ASC, page: { limit: 0, cursor: 'garbage' } }),
    ]) {
      expect(validationField(() => parseAdminFileQuery(other))).toBe('cursor');
    }
  });
});
