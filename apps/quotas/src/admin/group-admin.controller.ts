import { quotasV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { toGroupLimits } from '../quotas/quota.mapper.js';
import { GroupAdminService } from './group-admin.service.js';

// The admin console's calls. GroupAdminService requires an admin caller on each.
@Controller()
@quotasV1.GroupAdminServiceControllerMethods()
export class GroupAdminController implements quotasV1.GroupAdminServiceController {
  constructor(private readonly admin: GroupAdminService) {}

  async listGroups(): Promise<quotasV1.ListGroupsResponse> {
    return { items: (await this.admin.listGroups()).map(toGroupLimits) };
  }

  async updateGroupLimits(request: quotasV1.UpdateGroupLimitsRequest): Promise<quotasV1.UpdateGroupLimitsResponse> {
    return { limits: toGroupLimits(await this.admin.updateGroupLimits(request)) };
  }

  getTrafficStats(request: quotasV1.GetTrafficStatsRequest): Promise<quotasV1.GetTrafficStatsResponse> {
    return this.admin.getTrafficStats(request);
  }

  listAudit(request: quotasV1.ListAuditRequest): Promise<quotasV1.ListAuditResponse> {
    return this.admin.listAudit(request);
  }
}
