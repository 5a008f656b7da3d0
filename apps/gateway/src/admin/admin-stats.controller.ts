import type { commonV1 } from '@lexy/contracts-grpc';
import { Controller, Get, Inject } from '@nestjs/common';
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
import { StatsResponse, type StatsDayView } from './admin.views.js';

export const STATS_DAYS = 30;

/** The three services' daily series side by side, by day (each is oldest first, today last). */
export function joinSeries(
  uploads: commonV1.DailyCount[],
  downloads: commonV1.DailyCount[],
  newUsers: commonV1.DailyCount[],
): StatsDayView[] {
  const byDay = (series: commonV1.DailyCount[]) => new Map(series.map((entry) => [entry.day, entry]));
  const [uploadsByDay, downloadsByDay, usersByDay] = [byDay(uploads), byDay(downloads), byDay(newUsers)];
  const days = [...new Set([...uploadsByDay.keys(), ...downloadsByDay.keys(), ...usersByDay.keys()])].sort();
  return days.map((day) => ({
    day,
    uploads: uploadsByDay.get(day)?.count ?? 0,
    uploadBytes: uploadsByDay.get(day)?.bytes ?? 0,
    downloadBytes: downloadsByDay.get(day)?.bytes ?? 0,
    newUsers: usersByDay.get(day)?.count ?? 0,
  }));
}

/** Admin console: system figures and 30 days of series. */
@Controller('admin/stats')
@AdminOnly()
export class AdminStatsController {
  constructor(
    @Inject(USER_ADMIN_CLIENT) private readonly users: UserAdminClient,
    @Inject(FILE_ADMIN_CLIENT) private readonly files: FileAdminClient,
    @Inject(GROUP_ADMIN_CLIENT) private readonly groups: GroupAdminClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Users, files, storage and traffic, with 30 days of series' })
  @ApiOkResponse({ type: StatsResponse })
  async stats(): Promise<StatsResponse> {
    const [users, files, traffic] = await Promise.all([
      this.users.getUserStats({ days: STATS_DAYS }),
      this.files.getFileStats({ days: STATS_DAYS }),
      this.groups.getTrafficStats({ days: STATS_DAYS }),
    ]);
    return {
      users: users.users,
      files: files.files,
      storageBytes: files.storageBytes,
      trafficBytes: { today: traffic.todayBytes, month: traffic.monthBytes },
      series: joinSeries(files.uploads, traffic.downloads, users.newUsers),
    };
  }
}
