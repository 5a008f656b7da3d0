import { createRawApiClient, unwrap, type ApiClientOptions } from './api-client.js';
import type { components, operations } from './generated/schema.js';

type Schemas = components['schemas'];
type QueryOf<Operation extends keyof operations> = NonNullable<operations[Operation]['parameters']['query']>;

export type AdminUserView = Schemas['AdminUserView'];
export type AdminFileView = Schemas['AdminFileView'];
export type GroupView = Schemas['GroupView'];
export type GroupName = GroupView['name'];
/** What PATCH /admin/groups/:name takes: any subset of the limits, null for unlimited. */
export type GroupLimitsPatch = Schemas['GroupLimitsPatch'];
export type StatsView = Schemas['StatsResponse'];
export type StatsDayView = Schemas['StatsDayView'];
export type AuditEntryView = Schemas['AuditEntryView'];
export type UserListQuery = QueryOf<'AdminUsersController_list'>;
export type FileListQuery = QueryOf<'AdminFilesController_list'>;
export type AuditListQuery = QueryOf<'AdminAuditController_list'>;

/** What a takedown adds to an admin's delete: block the file's bytes from coming back, and why. */
export interface TakedownOptions {
  block?: boolean;
  reason?: string;
}

/**
 * The query without its unset filters: the admin routes refuse unknown or empty parameters,
 * and a blank search box means no search.
 */
function setOnly<Query extends object>(query: Query): Query {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Query;
}

/**
 * The admin console's calls (docs/api.md § Admin), each returning its data or throwing an
 * ApiError (403 ADMIN_REQUIRED for a caller who is not an administrator). A client of its own,
 * so that an app loads it only with its admin pages.
 */
export function createAdminApiClient(options: ApiClientOptions) {
  const raw = createRawApiClient(options);
  return {
    raw,
    users: (query: UserListQuery = {}) => unwrap(raw.GET('/api/v1/admin/users', { params: { query: setOnly(query) } })),
    updateUser: (id: string, changes: { group?: GroupName; disabled?: boolean }) =>
      unwrap(raw.PATCH('/api/v1/admin/users/{id}', { params: { path: { id } }, body: changes })),
    files: (query: FileListQuery = {}) => unwrap(raw.GET('/api/v1/admin/files', { params: { query: setOnly(query) } })),
    /** Gone for everyone at once; with `block` a takedown: the same bytes cannot be uploaded again. */
    deleteFile: (id: string, { block = false, reason }: TakedownOptions = {}) =>
      unwrap(
        raw.DELETE('/api/v1/admin/files/{id}', {
          params: { path: { id }, query: setOnly({ block: block || undefined, reason: reason?.trim() }) },
        }),
      ),
    restoreFile: (id: string) => unwrap(raw.POST('/api/v1/admin/files/{id}/restore', { params: { path: { id } } })),
    groups: () => unwrap(raw.GET('/api/v1/admin/groups')),
    /** Changes only the limits given; null makes a limit unlimited. */
    updateGroup: (name: GroupName, limits: GroupLimitsPatch) =>
      unwrap(raw.PATCH('/api/v1/admin/groups/{name}', { params: { path: { name } }, body: { limits } })),
    stats: () => unwrap(raw.GET('/api/v1/admin/stats')),
    audit: (query: AuditListQuery = {}) =>
      unwrap(raw.GET('/api/v1/admin/audit', { params: { query: setOnly(query) } })),
  };
}

export type AdminApiClient = ReturnType<typeof createAdminApiClient>;
