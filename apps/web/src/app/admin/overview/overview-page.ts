import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { formatBytes, formatNumber, type StatsView } from '@lexy/client-api';
import { ADMIN_API, AdminErrors } from '../admin-api';
import { StatsChart, type ChartSeries } from './stats-chart';

/** The series' colours: the app's accent, and two more with AA contrast on white. */
const COLOURS = { accent: '#1d4ed8', amber: '#b45309', green: '#047857' };

/** The platform at a glance: accounts, files, storage and traffic, and the last 30 days in charts. */
@Component({
  selector: 'lexy-admin-overview-page',
  imports: [StatsChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './overview-page.html',
  styleUrl: './overview-page.css',
})
export class OverviewPage {
  private readonly api = inject(ADMIN_API);
  private readonly errors = inject(AdminErrors);
  protected readonly stats = signal<StatsView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly formatBytes = formatBytes;

  protected readonly facts = computed(() => {
    const stats = this.stats();
    if (!stats) return [];
    return [
      { label: $localize`:@@admin.overview.users:Accounts`, value: formatNumber(stats.users, 0) },
      { label: $localize`:@@admin.overview.files:Files stored`, value: formatNumber(stats.files, 0) },
      { label: $localize`:@@admin.overview.storage:Storage used`, value: formatBytes(stats.storageBytes) },
      { label: $localize`:@@admin.overview.today:Downloaded today`, value: formatBytes(stats.trafficBytes.today) },
      { label: $localize`:@@admin.overview.month:Downloaded this month`, value: formatBytes(stats.trafficBytes.month) },
    ];
  });

  protected readonly charts = computed(() => {
    const series = this.stats()?.series ?? [];
    const days = series.map((day) => day.day);
    const of = (label: string, color: string, pick: (day: StatsView['series'][number]) => number): ChartSeries => ({
      label,
      color,
      values: series.map(pick),
    });
    return {
      days,
      uploads: [
        of($localize`:@@admin.overview.seriesUploads:Uploads`, COLOURS.accent, (day) => day.uploads),
        of($localize`:@@admin.overview.seriesNewUsers:New accounts`, COLOURS.amber, (day) => day.newUsers),
      ],
      uploadBytes: [
        of($localize`:@@admin.overview.seriesUploadBytes:Bytes uploaded`, COLOURS.green, (day) => day.uploadBytes),
      ],
      traffic: [
        of($localize`:@@admin.overview.seriesTraffic:Bytes downloaded`, COLOURS.accent, (day) => day.downloadBytes),
      ],
    };
  });

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.stats.set(await this.api.stats());
    } catch (error) {
      this.error.set(this.errors.describe(error));
    }
  }
}
