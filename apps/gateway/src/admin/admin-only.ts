import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CallerGuard } from '../identity/caller.guard.js';
import { ErrorCode } from '@lexy/server-errors';
import { ADMIN_GROUP, RefusedWith, RequireGroups, RequireToken } from '../identity/caller.js';
import { GroupGuard } from '../identity/group.guard.js';

/**
 * Every admin controller carries this: an access token of group `admin`, else 401 without a
 * token and 403 ADMIN_REQUIRED with one. The admin gRPC services check the caller again.
 * The route inventory test (security-cases AZ-02) fails for an /admin route without it.
 */
export function AdminOnly(): ClassDecorator {
  return applyDecorators(
    ApiTags('admin'),
    ApiBearerAuth(),
    UseGuards(CallerGuard, GroupGuard),
    RequireToken(),
    RequireGroups(ADMIN_GROUP),
    RefusedWith(ErrorCode.ADMIN_REQUIRED),
  );
}
