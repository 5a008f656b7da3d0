import { filesV1 } from '@lexy/contracts-grpc';
import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  FILE_ADMIN_CLIENT,
  USER_ADMIN_CLIENT,
  type FileAdminClient,
  type UserAdminClient,
} from '../grpc/grpc-clients.js';
import { AdminOnly } from './admin-only.js';
import { AdminDeleteFileQuery, AdminFilesQuery } from './admin.dto.js';
import { emailsOf, ownerKeyOf, sortOrderOf } from './admin-lookups.js';
import { AdminFileListResponse, AdminFileResponse, toAdminFileView } from './admin.views.js';

const STATUS: Record<'active' | 'expired', filesV1.FileStatus> = {
  active: filesV1.FileStatus.FILE_STATUS_ACTIVE,
  expired: filesV1.FileStatus.FILE_STATUS_EXPIRED,
};

/** Admin console: every owner's files. The files service checks the caller again. */
@Controller('admin/files')
@AdminOnly()
export class AdminFilesController {
  constructor(
    @Inject(FILE_ADMIN_CLIENT) private readonly files: FileAdminClient,
    @Inject(USER_ADMIN_CLIENT) private readonly users: UserAdminClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Filter, sort and page through the files of every owner' })
  @ApiOkResponse({ type: AdminFileListResponse })
  async list(@Query() query: AdminFilesQuery): Promise<AdminFileListResponse> {
    const ownerId = query.owner ? await ownerKeyOf(this.users, query.owner) : '';
    if (ownerId === null) return { items: [], nextCursor: null };
    const { items, nextCursor } = await this.files.adminListFiles({
      ownerId,
      status: query.status ? STATUS[query.status] : filesV1.FileStatus.FILE_STATUS_UNSPECIFIED,
      query: query.query ?? '',
      sort: query.sort ?? '',
      order: sortOrderOf(query.order),
      page: { limit: query.limit ?? 0, cursor: query.cursor ?? '' },
    });
    const emails = await emailsOf(
      this.users,
      items.map((file) => file.ownerId),
    );
    return {
      items: items.map((file) => toAdminFileView(file, emails.get(file.ownerId) ?? null)),
      nextCursor: nextCursor || null,
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete any file; with block=true a takedown (the same bytes cannot be uploaded again)',
  })
  @ApiNoContentResponse({ description: 'Gone for everyone; downloads in flight are cut' })
  async remove(@Param('id') id: string, @Query() query: AdminDeleteFileQuery): Promise<void> {
    await this.files.adminDeleteFile({ fileId: id, block: query.block ?? false, reason: query.reason ?? '' });
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore any owner’s expired file' })
  @ApiOkResponse({ type: AdminFileResponse })
  async restore(@Param('id') id: string): Promise<AdminFileResponse> {
    const { file } = await this.files.adminRestoreFile({ fileId: id });
    const emails = await emailsOf(this.users, [file?.ownerId ?? '']);
    return { file: toAdminFileView(file, emails.get(file?.ownerId ?? '') ?? null) };
  }
}
