import { Body, Controller, Inject, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { UserView } from '../auth/auth.dto.js';
import { toUserView } from '../auth/auth.views.js';
import { USER_ADMIN_CLIENT, type UserAdminClient } from '../grpc/grpc-clients.js';
import { AdminOnly } from './admin-only.js';

export class UpdateUserRequest {
  @ApiPropertyOptional({ enum: ['normal', 'vip', 'admin', 'anonymous'] })
  @IsOptional()
  @IsIn(['anonymous', 'normal', 'vip', 'admin'])
  group?: string;

  @ApiPropertyOptional({ description: 'Disabling ends every session of the user at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

class UserResponse {
  @ApiProperty({ type: UserView }) user: UserView;
}

/** Admin console: users. Only group `admin`; the auth service checks the caller again. */
@Controller('admin/users')
@AdminOnly()
export class AdminUsersController {
  constructor(@Inject(USER_ADMIN_CLIENT) private readonly users: UserAdminClient) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user’s group or disable the account' })
  @ApiOkResponse({ type: UserResponse })
  async update(@Param('id') id: string, @Body() body: UpdateUserRequest): Promise<UserResponse> {
    const { user } = await this.users.updateUser({ userId: id, group: body.group, disabled: body.disabled });
    return { user: toUserView(user) };
  }
}
