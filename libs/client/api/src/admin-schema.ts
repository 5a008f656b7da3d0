// The admin routes of docs/api.md § Admin, typed by hand in the shape openapi-typescript gives
// them, until the gateway's OpenAPI document (and so generated/schema.ts) has them. Then this
// file goes and admin-client.ts reads the generated `paths` instead.
import type { components } from './generated/schema.js';

type Schemas = components['schemas'];
export type GroupName = Schemas['UserView']['group'];

export interface AdminUserView {
  id: string;
  email: string;
  displayName: string | null;
  group: GroupName;
  createdAt: string;
  disabled: boolean;
}

export interface AdminFileView {
  id: string;
  ownerId: string;
  /** Null for owners without an account (an address or an anonymous identity). */
  ownerEmail: string | null;
  name: string;
  size: number;
  mimeType: string;
  sha256: string;
  status: 'active' | 'expired';
  createdAt: string;
  expiresAt: string | null;
  purgeAt: string | null;
  downloads: number;
  downloadLimit: number | null;
  pinProtected: boolean;
}

/** A group's limits as an admin edits them: null is unlimited; the window is always set. */
export interface GroupLimitsView {
  downloadBytesPerSecond: number | null;
  maxFileBytes: number | null;
  storageBytes: number | null;
  trafficBytes: number | null;
  trafficWindow: 'day' | 'month';
  retentionSeconds: number | null;
}

export interface GroupView {
  name: GroupName;
  limits: GroupLimitsView;
}

export interface StatsDayView {
  day: string;
  uploads: number;
  uploadBytes: number;
  downloadBytes: number;
  newUsers: number;
}

export interface StatsView {
  users: number;
  files: number;
  storageBytes: number;
  trafficBytes: { today: number; month: number };
  series: StatsDayView[];
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: string;
  actorEmail: string | null;
  action: 'user.update' | 'file.delete' | 'file.restore' | 'group.update';
  target: string;
  details: Record<string, unknown>;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Paging {
  limit?: number;
  cursor?: string;
  order?: 'asc' | 'desc';
}

export type UserListQuery = Paging & {
  query?: string;
  group?: GroupName;
  disabled?: boolean;
  sort?: 'createdAt' | 'email';
};
export type FileListQuery = Paging & {
  owner?: string;
  status?: 'active' | 'expired';
  query?: string;
  sort?: 'createdAt' | 'size' | 'name' | 'expiresAt';
};

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Answers<Ok> = Ok & { default: Json<Schemas['ErrorEnvelope']> };
type Ok<Data> = Answers<{ 200: Json<Data> }>;
type NoContent = Answers<{ 204: { headers: { [name: string]: unknown }; content?: never } }>;
/** A route's parameters: an optional query, a path (or none). */
interface Params<Query = never, Path = never> {
  query?: Query;
  header?: never;
  path: Path;
  cookie?: never;
}
type NoPathParams<Query = never> = Omit<Params<Query>, 'path'> & { path?: never };
interface Operation<P, Responses> {
  parameters: P;
  requestBody?: never;
  responses: Responses;
}
interface OperationWithBody<P, Body, Responses> {
  parameters: P;
  requestBody: { content: { 'application/json': Body } };
  responses: Responses;
}
interface NoOperations {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get?: never;
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
}
type Item<Operations> = Omit<NoOperations, keyof Operations> & Operations;

export interface AdminPaths {
  '/api/v1/admin/users': Item<{ get: Operation<NoPathParams<UserListQuery>, Ok<Page<AdminUserView>>> }>;
  '/api/v1/admin/users/{id}': Item<{
    patch: OperationWithBody<
      Params<never, { id: string }>,
      { group?: GroupName; disabled?: boolean },
      Ok<{ user: AdminUserView }>
    >;
  }>;
  '/api/v1/admin/files': Item<{ get: Operation<NoPathParams<FileListQuery>, Ok<Page<AdminFileView>>> }>;
  '/api/v1/admin/files/{id}': Item<{
    delete: Operation<Params<{ block?: boolean; reason?: string }, { id: string }>, NoContent>;
  }>;
  '/api/v1/admin/files/{id}/restore': Item<{
    post: Operation<Params<never, { id: string }>, Ok<{ file: AdminFileView }>>;
  }>;
  '/api/v1/admin/groups': Item<{ get: Operation<NoPathParams, Ok<{ items: GroupView[] }>> }>;
  '/api/v1/admin/groups/{name}': Item<{
    patch: OperationWithBody<Params<never, { name: GroupName }>, { limits: Partial<GroupLimitsView> }, Ok<GroupView>>;
  }>;
  '/api/v1/admin/stats': Item<{ get: Operation<NoPathParams, Ok<StatsView>> }>;
  '/api/v1/admin/audit': Item<{ get: Operation<NoPathParams<Paging>, Ok<Page<AuditEntryView>>> }>;
}
