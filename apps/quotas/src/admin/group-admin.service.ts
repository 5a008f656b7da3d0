import type { quotasV1 } from '@lexy/contracts-grpc';
import { toAuditEntry } from '@lexy/server-audit';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  dailySeries,
  MAX_ADMIN_PAGE_SIZE,
  pageLimit,
  requireAdminCaller,
  seriesDayNames,
  seriesDays,
} from '@lexy/server-grpc';
import { Injectable } from '@nestjs/common';
import { Clock } from '../quotas/clock.js';
import type { GroupEntity } from '../quotas/group.entity.js';
import { MAX_GROUP_LENGTH, requireText } from '../quotas/request-fields.js';
import { trafficPeriodAt } from '../quotas/traffic-window.js';
import { GroupAdminRepository } from './group-admin.repository.js';
import { parseLimitChanges, planGroupChange } from './group-limits-change.js';

/** The order the admin console shows groups in: from the least to the most trusted. */
const GROUP_ORDER = ['anonymous', 'normal', 'vip', 'admin'];

/**
 * The admin console's groups and traffic. Every call first requires an admin caller
 * (ADMIN_REQUIRED otherwise). Groups are read from the database on every call (QuotaService
 * keeps no copy), so a change applies to the next reservation and GetGroupLimits at once.
 */
@Injectable()
export class GroupAdminService {
  constructor(
    private readonly repository: GroupAdminRepository,
    private readonly clock: Clock,
  ) {}

  async listGroups(): Promise<GroupEntity[]> {
    requireAdminCaller();
    const rank = (group: GroupEntity) => {
      const index = GROUP_ORDER.indexOf(group.name);
      return index === -1 ? GROUP_ORDER.length : index;
    };
    return (await this.repository.listGroups()).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }

  /** Changes some limits of a group and records "group.update" with the changed limits, in one transaction. */
  async updateGroupLimits(request: quotasV1.UpdateGroupLimitsRequest): Promise<GroupEntity> {
    const admin = requireAdminCaller();
    const name = requireText('group', request.group, MAX_GROUP_LENGTH);
    const requested = parseLimitChanges(request);
    const group = await this.repository.updateGroup(name, (current) => {
      const change = planGroupChange(current, requested);
      if (Object.keys(change.patch).length === 0) return null;
      return {
        patch: change.patch,
        audit: {
          actorId: admin.ownerId,
          action: 'group.update',
          target: `group:${current.name}`,
          before: change.before,
          after: change.after,
        },
      };
    });
    if (!group) throw new DomainError(ErrorCode.NOT_FOUND, 'Group not found', { group: name });
    return group;
  }

  /** Downloaded bytes of every account: today and this month (UTC), and per day of the series. */
  async getTrafficStats(request: quotasV1.GetTrafficStatsRequest): Promise<quotasV1.GetTrafficStatsResponse> {
    requireAdminCaller();
    const nowMs = this.clock.now();
    const dayNames = seriesDayNames(seriesDays(request.days), nowMs);
    const month = trafficPeriodAt('month', nowMs);
    const [perDay, monthBytes] = await Promise.all([
      this.repository.trafficPerDay(dayNames[0]!, month.today),
      this.repository.sumTraffic(month.firstDay, month.today),
    ]);
    const figures = new Map([...perDay].map(([day, bytes]) => [day, { bytes }]));
    return { todayBytes: perDay.get(month.today) ?? 0, monthBytes, downloads: dailySeries(dayNames, figures) };
  }

  async listAudit(request: quotasV1.ListAuditRequest): Promise<quotasV1.ListAuditResponse> {
    requireAdminCaller();
    const limit = pageLimit(request.page?.limit, MAX_ADMIN_PAGE_SIZE);
    const page = await this.repository.listAudit(limit, request.page?.cursor ?? '');
    return { items: page.items.map(toAuditEntry), nextCursor: page.nextCursor };
  }
}
