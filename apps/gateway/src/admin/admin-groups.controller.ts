import { quotasV1 } from '@lexy/contracts-grpc';
import { Body, Controller, Get, Inject, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { GROUP_ADMIN_CLIENT, type GroupAdminClient } from '../grpc/grpc-clients.js';
import { GroupLimitsCache } from '../throttle/group-limits.cache.js';
import { AdminOnly } from './admin-only.js';
import { UpdateGroupRequest, type GroupLimitsPatch } from './admin.dto.js';
import { GroupListResponse, GroupView, toGroupView } from './admin.views.js';

const WINDOW: Record<'day' | 'month', quotasV1.TrafficWindow> = {
  day: quotasV1.TrafficWindow.TRAFFIC_WINDOW_DAY,
  month: quotasV1.TrafficWindow.TRAFFIC_WINDOW_MONTH,
};

/** A present field becomes a new value (null → unlimited); an absent one keeps its value. */
const change = (value: number | null | undefined): quotasV1.LimitValue | undefined =>
  value === undefined ? undefined : { value: value ?? undefined };

export function toUpdateGroupLimits(group: string, limits: GroupLimitsPatch): quotasV1.UpdateGroupLimitsRequest {
  return {
    group,
    downloadBytesPerSecond: change(limits.downloadBytesPerSecond),
    maxFileBytes: change(limits.maxFileBytes),
    storageBytes: change(limits.storageBytes),
    trafficBytes: change(limits.trafficBytes),
    trafficWindow: limits.trafficWindow
      ? WINDOW[limits.trafficWindow]
      : quotasV1.TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
    retentionSeconds: change(limits.retentionSeconds),
  };
}

/** Admin console: groups and their limits. The quotas service validates and checks the caller again. */
@Controller('admin/groups')
@AdminOnly()
export class AdminGroupsController {
  constructor(
    @Inject(GROUP_ADMIN_CLIENT) private readonly groups: GroupAdminClient,
    private readonly cachedLimits: GroupLimitsCache,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every group with its limits' })
  @ApiOkResponse({ type: GroupListResponse })
  async list(): Promise<GroupListResponse> {
    const { items } = await this.groups.listGroups({});
    return { items: items.map(toGroupView) };
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Change some of a group’s limits (null = unlimited)' })
  @ApiOkResponse({ type: GroupView })
  async update(@Param('name') name: string, @Body() body: UpdateGroupRequest): Promise<GroupView> {
    const { limits } = await this.groups.updateGroupLimits(toUpdateGroupLimits(name, body.limits));
    // This replica applies the change at once; the others within their cache's lifetime.
    this.cachedLimits.forget(name);
    return toGroupView(limits);
  }
}
