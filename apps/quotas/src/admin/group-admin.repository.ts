import { appendAudit, listAudit, type AuditPage, type AuditRecord } from '@lexy/server-audit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupSchema, type GroupEntity } from '../quotas/group.entity.js';

/** What an admin's change does to a locked group row: the columns to write and its audit record. */
export interface GroupUpdate {
  patch: Partial<GroupEntity>;
  audit: AuditRecord;
}

/** The admin console's queries of lexy_quotas: groups, their changes and the traffic of every account. */
@Injectable()
export class GroupAdminRepository {
  constructor(private readonly dataSource: DataSource) {}

  listGroups(): Promise<GroupEntity[]> {
    return this.dataSource.manager.find(GroupSchema);
  }

  /**
   * Locks the group's row, asks `decide` what to change (null: nothing), and writes the change
   * and its audit record in the same transaction, so the row cannot change in between and no
   * change goes unrecorded. Whatever `decide` throws rolls everything back. Null when the
   * group does not exist; else the group as it is now.
   */
  async updateGroup(name: string, decide: (current: GroupEntity) => GroupUpdate | null): Promise<GroupEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager
        .createQueryBuilder(GroupSchema, 'g')
        .setLock('pessimistic_write')
        .where('g.name = :name', { name })
        .getOne();
      if (!current) return null;
      const update = decide(current);
      if (!update) return current;
      await manager.update(GroupSchema, { name: current.name }, update.patch);
      await appendAudit(manager, update.audit);
      return { ...current, ...update.patch };
    });
  }

  /** Download bytes of every account per UTC day (`YYYY-MM-DD`), from `firstDay` through `lastDay`. */
  async trafficPerDay(firstDay: string, lastDay: string): Promise<Map<string, number>> {
    const rows: { day: string; bytes: number | string }[] = await this.dataSource.query(
      `SELECT DATE_FORMAT(\`day\`, '%Y-%m-%d') AS \`day\`, SUM(bytes) AS bytes FROM traffic_days
       WHERE \`day\` BETWEEN ? AND ? GROUP BY \`day\``,
      [firstDay, lastDay],
    );
    return new Map(rows.map((row) => [row.day, Number(row.bytes)]));
  }

  /** Download bytes of every account from `firstDay` through `lastDay`. */
  async sumTraffic(firstDay: string, lastDay: string): Promise<number> {
    const rows: { bytes: number | string }[] = await this.dataSource.query(
      'SELECT COALESCE(SUM(bytes), 0) AS bytes FROM traffic_days WHERE `day` BETWEEN ? AND ?',
      [firstDay, lastDay],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  listAudit(limit: number, cursor: string): Promise<AuditPage> {
    return listAudit(this.dataSource.manager, limit, cursor);
  }
}
