import { commonV1, filesV1 } from '@lexy/contracts-grpc';
import {
  containsPattern,
  decodeSortCursor,
  type SortDirection,
  type SortKey,
  type SortPosition,
  type SortValue,
} from '@lexy/server-database';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { MAX_ADMIN_PAGE_SIZE, pageLimit } from '@lexy/server-grpc';
import { NEVER_EXPIRES, type FileEntity } from '../files/file.entity.js';

/** Longest name search (docs/api.md § Admin); a file name has at most 255 characters. */
export const MAX_QUERY_LENGTH = 255;
/** Owner keys are at most this long (the column); a longer one cannot name an owner. */
const MAX_OWNER_ID_LENGTH = 96;

/** How one sort of AdminListFiles reads: its key in the `file` alias of the query, and its default direction. */
interface FileSortDefinition {
  key: SortKey;
  defaultDirection: SortDirection;
  valueOf(file: FileEntity): SortValue;
}

/** The allow-list of sort keys; anything else is VALIDATION_FAILED. */
const FILE_SORTS = {
  createdAt: {
    key: { column: 'file.created_at', kind: 'date' },
    defaultDirection: 'desc',
    valueOf: (file) => file.createdAt,
  },
  size: {
    key: { column: 'file.size_bytes', kind: 'integer' },
    defaultDirection: 'desc',
    valueOf: (file) => file.sizeBytes,
  },
  name: { key: { column: 'file.name', kind: 'string' }, defaultDirection: 'asc', valueOf: (file) => file.name },
  // A file that never expires sorts as the latest expiry (expires_sort: an indexed virtual column).
  expiresAt: {
    key: { column: 'file.expires_sort', kind: 'date' },
    defaultDirection: 'desc',
    valueOf: (file) => file.expiresAt ?? NEVER_EXPIRES,
  },
} satisfies Record<string, FileSortDefinition>;

export type FileSortName = keyof typeof FILE_SORTS;

/** The sort of one list request. */
export interface FileSort {
  key: SortKey;
  direction: SortDirection;
  /** What a cursor of this list is bound to: "<sort>:<direction>". */
  scope: string;
  valueOf(file: FileEntity): SortValue;
}

/** Which lifecycle states a list shows, as its owner would see them. */
export type StatusFilter = 'active' | 'expired' | 'any';

/** A validated AdminListFiles request. */
export interface AdminFileQuery {
  ownerId: string | null;
  status: StatusFilter;
  /** A LIKE pattern (escape `!`), bound as a parameter; null for any name. */
  namePattern: string | null;
  sort: FileSort;
  limit: number;
  after: SortPosition | null;
}

function invalid(field: string, message: string): DomainError {
  // The message never repeats the value: it may be anything (AZ-05).
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field });
}

function isSortName(name: string): name is FileSortName {
  return Object.hasOwn(FILE_SORTS, name);
}

/** The sort of a request: an allow-listed key ("" for createdAt) and a direction (unspecified for the key's default). */
export function parseFileSort(name: string, order: commonV1.SortOrder): FileSort {
  const sortName = name === '' ? 'createdAt' : name;
  if (!isSortName(sortName)) throw invalid('sort', 'The sort must be one of createdAt, size, name, expiresAt');
  const definition: FileSortDefinition = FILE_SORTS[sortName];
  let direction: SortDirection;
  if (order === commonV1.SortOrder.SORT_ORDER_UNSPECIFIED) direction = definition.defaultDirection;
  else if (order === commonV1.SortOrder.SORT_ORDER_ASC) direction = 'asc';
  else if (order === commonV1.SortOrder.SORT_ORDER_DESC) direction = 'desc';
  else throw invalid('order', 'The order must be asc or desc');
  return { key: definition.key, direction, scope: `${sortName}:${direction}`, valueOf: definition.valueOf };
}

export function parseStatusFilter(status: filesV1.FileStatus): StatusFilter {
  switch (status) {
    case filesV1.FileStatus.FILE_STATUS_UNSPECIFIED:
      return 'any';
    case filesV1.FileStatus.FILE_STATUS_ACTIVE:
      return 'active';
    case filesV1.FileStatus.FILE_STATUS_EXPIRED:
      return 'expired';
    default:
      throw invalid('status', 'The status must be active or expired');
  }
}

/** The LIKE pattern of a name search, or null for none; at most MAX_QUERY_LENGTH characters. */
export function parseNameQuery(query: string): string | null {
  if (query === '') return null;
  if ([...query].length > MAX_QUERY_LENGTH) {
    throw invalid('query', `The query must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  return containsPattern(query);
}

export function parseAdminFileQuery(request: filesV1.AdminListFilesRequest): AdminFileQuery {
  if (request.ownerId.length > MAX_OWNER_ID_LENGTH) {
    throw invalid('ownerId', `The owner must be at most ${MAX_OWNER_ID_LENGTH} characters`);
  }
  const sort = parseFileSort(request.sort, request.order);
  const cursor = request.page?.cursor ?? '';
  const after = cursor === '' ? null : decodeSortCursor(cursor, sort.scope, sort.key);
  if (cursor !== '' && after === null) {
    throw invalid('cursor', 'The cursor is not one this list gave out with this sort');
  }
  return {
    ownerId: request.ownerId === '' ? null : request.ownerId,
    status: parseStatusFilter(request.status),
    namePattern: parseNameQuery(request.query),
    sort,
    limit: pageLimit(request.page?.limit, MAX_ADMIN_PAGE_SIZE),
    after,
  };
}
