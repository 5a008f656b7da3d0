import { Body, Controller, Get, Inject, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { USER_ADMIN_CLIENT, type UserAdminClient } from '../grpc/grpc-clients.js';
import { AdminOnly } from './admin-only.js';
import { AdminUsersQuery, UpdateUserRequest } from './admin.dto.js';
import { sortOrderOf } from './admin-lookups.js';
import { AdminUserListResponse, AdminUserResponse, toAdminUserView } from './admin.views.js';

/** Admin console: users. The auth service checks the caller again, against its database. */
@Controller('admin/users')
@AdminOnly()
export class AdminUsersController {
  constructor(@Inject(USER_ADMIN_CLIENT) private readonly users: UserAdminClient) {}

  @Get()
  @ApiOperation({ summary: 'Search and page through registered users' })
  @ApiOkResponse({ type: AdminUserListResponse })
  async list(@Query() query: AdminUsersQuery): Promise<AdminUserListResponse> {
    const { items, nextCursor } = await this.users.listUsers({
      query: query.query ?? '',
      group: query.group ?? '',
      disabled: query.disabled,
      sort: query.sort ?? '',
      order: sortOrderOf(query.order),
      page: { limit: query.limit ?? 0, cursor: query.cursor ?? '' },
    });
    return { items: items.map(toAdminUserView), nextCursor: nextCursor || null };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user’s group, or disable or enable the account' })
  @ApiOkResponse({ type: AdminUserResponse })
  async update(@Param('id') id: string, @Body() body: UpdateUserRequest): Promise<AdminUserResponse> {
    const { user } = await this.users.updateUser({ userId: id, group: body.group, disabled: body.disabled });
    return { user: toAdminUserView(user) };
  }
}
