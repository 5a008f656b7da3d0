import { DEFAULT_PAGE_SIZE } from '@lexy/server-grpc';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  FILE_ADMIN_CLIENT,
  GROUP_ADMIN_CLIENT,
  USER_ADMIN_CLIENT,
  type FileAdminClient,
  type GroupAdminClient,
  type UserAdminClient,
} from '../grpc/grpc-clients.js';
import { AdminOnly } from './admin-only.js';
import { AdminAuditQuery } from './admin.dto.js';
import { emailsOf } from './admin-lookups.js';
import { AuditListResponse, toAuditEntryView } from './admin.views.js';
import { mergeAuditPages } from './audit-merge.js';

/** Admin console: the audit log, merged from the services that carried the actions out. */
@Controller('admin/audit')
@AdminOnly()
export class AdminAuditController {
  constructor(
    @Inject(USER_ADMIN_CLIENT) private readonly users: UserAdminClient,
    @Inject(FILE_ADMIN_CLIENT) private readonly files: FileAdminClient,
    @Inject(GROUP_ADMIN_CLIENT) private readonly groups: GroupAdminClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every admin action, newest first' })
  @ApiOkResponse({ type: AuditListResponse })
  async list(@Query() query: AdminAuditQuery): Promise<AuditListResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const request = { page: { limit, cursor: query.cursor ?? '' } };
    const pages = await Promise.all([
      this.users.listAudit(request),
      this.files.listAudit(request),
      this.groups.listAudit(request),
    ]);
    const { items, nextCursor } = mergeAuditPages(pages, limit);
    const emails = await emailsOf(
      this.users,
      items.map((entry) => entry.actorId),
    );
    return { items: items.map((entry) => toAuditEntryView(entry, emails.get(entry.actorId) ?? null)), nextCursor };
  }
}
