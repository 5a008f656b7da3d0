import { Body, Controller, Inject, Param, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { UserView } from '../auth/auth.dto.js';
import { toUserView } from '../auth/auth.views.js';
import { AUTH_CLIENT, type AuthClient } from '../grpc/grpc-clients.js';
import { CallerGuard } from '../identity/caller.guard.js';
import { RequireGroups, RequireToken } from '../identity/caller.js';
import { GroupGuard } from '../identity/group.guard.js';

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
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
@UseGuards(CallerGuard, GroupGuard)
@RequireToken()
@RequireGroups('admin')
export class AdminUsersController {
  constructor(@Inject(AUTH_CLIENT) private readonly auth: AuthClient) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user’s group or disable the account' })
  @ApiOkResponse({ type: UserResponse })
  async update(@Param('id') id: string, @Body() body: UpdateUserRequest): Promise<UserResponse> {
    const { user } = await this.auth.updateUser({ userId: id, group: body.group, disabled: body.disabled });
    return { user: toUserView(user) };
  }
}
