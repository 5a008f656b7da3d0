import { authV1, commonV1, filesV1, fromTimestamp, quotasV1 } from '@lexy/contracts-grpc';
import { ApiProperty } from '@nestjs/swagger';
import { LimitsView, UserView } from '../auth/auth.dto.js';
import { toLimitsView, toUserView } from '../auth/auth.views.js';

const iso = (timestamp: commonV1.AuditEntry['at']) => fromTimestamp(timestamp)?.toISOString() ?? null;

export class AdminUserView extends UserView {
  @ApiProperty() disabled: boolean;
}

export class AdminUserResponse {
  @ApiProperty({ type: AdminUserView }) user: AdminUserView;
}

export class AdminUserListResponse {
  @ApiProperty({ type: [AdminUserView] }) items: AdminUserView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** A file as an administrator sees it: owner data, no pickup code, share link or PIN. */
export class AdminFileView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'A user id, or an owner key such as ip:203.0.113.7' }) ownerId: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for owners without an account' })
  ownerEmail: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty() mimeType: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ enum: ['active', 'expired'] }) status: 'active' | 'expired';
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) purgeAt: string | null;
  @ApiProperty() downloads: number;
  @ApiProperty({ nullable: true, type: Number }) downloadLimit: number | null;
  @ApiProperty() pinProtected: boolean;
}

export class AdminFileResponse {
  @ApiProperty({ type: AdminFileView }) file: AdminFileView;
}

export class AdminFileListResponse {
  @ApiProperty({ type: [AdminFileView] }) items: AdminFileView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class GroupView {
  @ApiProperty({ enum: ['anonymous', 'normal', 'vip', 'admin'] }) name: string;
  @ApiProperty({ type: LimitsView }) limits: LimitsView;
}

export class GroupListResponse {
  @ApiProperty({ type: [GroupView] }) items: GroupView[];
}

export class TrafficTotalsView {
  @ApiProperty({ description: 'Bytes downloaded today (UTC) by everyone' }) today: number;
  @ApiProperty({ description: 'Bytes downloaded this UTC month by everyone' }) month: number;
}

export class StatsDayView {
  @ApiProperty({ example: '2026-12-03', description: 'UTC day' }) day: string;
  @ApiProperty({ description: 'Uploads committed that day' }) uploads: number;
  @ApiProperty() uploadBytes: number;
  @ApiProperty() downloadBytes: number;
  @ApiProperty({ description: 'Accounts registered that day' }) newUsers: number;
}

export class StatsResponse {
  @ApiProperty({ description: 'Registered accounts' }) users: number;
  @ApiProperty({ description: 'Files stored (active or expired)' }) files: number;
  @ApiProperty() storageBytes: number;
  @ApiProperty({ type: TrafficTotalsView }) trafficBytes: TrafficTotalsView;
  @ApiProperty({ type: [StatsDayView], description: '30 UTC days, oldest first, today last' })
  series: StatsDayView[];
}

export class AuditEntryView {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'User id of the administrator' }) actor: string;
  @ApiProperty({ nullable: true, type: String }) actorEmail: string | null;
  @ApiProperty({ example: 'group.update' }) action: string;
  @ApiProperty({ example: 'group:vip' }) target: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Anything else kept, e.g. {block, reason}' })
  details: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The changed fields before' })
  before: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The changed fields after' })
  after: Record<string, unknown>;
  @ApiProperty({ description: 'X-Request-Id of the request that acted' }) requestId: string;
}

export class AuditListResponse {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function toAdminUserView(user: authV1.User | undefined): AdminUserView {
  return { ...toUserView(user), disabled: user?.disabled ?? false };
}

export function toAdminFileView(file: filesV1.AdminFile | undefined, ownerEmail: string | null): AdminFileView {
  return {
    id: file?.id ?? '',
    ownerId: file?.ownerId ?? '',
    ownerEmail,
    name: file?.name ?? '',
    size: file?.sizeBytes ?? 0,
    mimeType: file?.mimeType ?? '',
    sha256: file?.sha256 ?? '',
    status: file?.status === filesV1.FileStatus.FILE_STATUS_EXPIRED ? 'expired' : 'active',
    createdAt: iso(file?.createdAt) ?? new Date(0).toISOString(),
    expiresAt: iso(file?.expiresAt),
    purgeAt: iso(file?.purgeAt),
    downloads: file?.downloads ?? 0,
    downloadLimit: file?.downloadLimit ?? null,
    pinProtected: file?.pinProtected ?? false,
  };
}

export function toGroupView(limits: quotasV1.GroupLimits | undefined): GroupView {
  return { name: limits?.group ?? '', limits: toLimitsView(limits) };
}

const parsed = (json: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(json || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return {};
  }
};

export function toAuditEntryView(entry: commonV1.AuditEntry, actorEmail: string | null): AuditEntryView {
  return {
    id: entry.id,
    at: iso(entry.at) ?? new Date(0).toISOString(),
    actor: entry.actorId,
    actorEmail,
    action: entry.action,
    target: entry.target,
    details: parsed(entry.detailsJson),
    before: parsed(entry.beforeJson),
    after: parsed(entry.afterJson),
    requestId: entry.requestId,
  };
}
