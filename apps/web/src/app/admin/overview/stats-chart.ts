import { formatDate } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  LOCALE_ID,
  afterRenderEffect,
  computed,
  inject,
  input,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { formatNumber } from '@lexy/client-api';

// Only what these charts draw, so the rest of chart.js is left out of the bundle.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

export interface ChartSeries {
  label: string;
  values: readonly number[];
  color: string;
}

const count = (value: number) => formatNumber(value, 0);
let nextId = 0;

/**
 * One chart of the 30-day series, with its text alternative: a summary for the canvas (an
 * image to assistive technology) and the numbers in a table screen readers read.
 */
@Component({
  selector: 'lexy-admin-stats-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './stats-chart.html',
  styleUrl: './stats-chart.css',
})
export class StatsChart {
  private readonly locale = inject(LOCALE_ID);
  readonly heading = input.required<string>();
  readonly kind = input<'bar' | 'line'>('bar');
  /** The days, "YYYY-MM-DD" (UTC), oldest first. */
  readonly days = input.required<readonly string[]>();
  readonly series = input.required<readonly ChartSeries[]>();
  /** How a value reads: a count by default, or bytes. */
  readonly format = input<(value: number) => string>(count);

  protected readonly id = `stats-chart-${nextId++}`;
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  protected readonly dayLabels = computed(() => this.days().map((day) => formatDate(day, 'MMM d', this.locale, 'UTC')));
  protected readonly rows = computed(() =>
    this.days().map((day, index) => ({
      day: formatDate(day, 'mediumDate', this.locale, 'UTC'),
      values: this.series().map((series) => this.format()(series.values[index] ?? 0)),
    })),
  );
  /** "Uploads: 123 in all, most on May 2 (17)." for each series. */
  protected readonly summary = computed(() => {
    const days = this.days();
    const parts = this.series().map((series) => {
      const total = this.format()(series.values.reduce((sum, value) => sum + value, 0));
      const most = Math.max(0, ...series.values);
      const on = formatDate(days[series.values.indexOf(most)] ?? days[0] ?? '', 'MMM d', this.locale, 'UTC');
      return most === 0
        ? $localize`:@@admin.chart.seriesNone:${series.label}:series: none`
        : $localize`:@@admin.chart.series:${series.label}:series: ${total}:total: in all, most on ${on}:day: (${this.format()(most)}:most:)`;
    });
    return $localize`:@@admin.chart.summary:${this.heading()}:title:, last ${days.length}:count: days: ${parts.join('; ')}:series:.`;
  });

  constructor() {
    afterRenderEffect((onCleanup) => {
      // No 2D context (a test's DOM without canvas): the table below still tells every number.
      const context = this.canvas().nativeElement.getContext('2d');
      if (!context) return;
      const format = this.format();
      const chart = new Chart(context, {
        type: this.kind(),
        data: {
          labels: [...this.dayLabels()],
          datasets: this.series().map((series) => ({
            label: series.label,
            data: [...series.values],
            backgroundColor: series.color,
            borderColor: series.color,
          })),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          // Whole steps: a count has no halves, and a byte is the smallest amount.
          scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: (value) => format(Number(value)) } } },
          plugins: {
            legend: { display: this.series().length > 1 },
            tooltip: {
              callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${format(Number(item.parsed.y))}` },
            },
          },
        },
      });
      onCleanup(() => chart.destroy());
    });
  }
}
