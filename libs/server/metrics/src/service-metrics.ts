import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from 'prom-client';
import { METRIC, processMetricsPrefix, type MetricName } from './metric-names.js';

/** Latency buckets in seconds, from a cached lookup (a few ms) to a long download or upload (5 min). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

type Named<C> = Omit<C, 'name' | 'registers'> & { name: MetricName };

/**
 * One process's metrics: a registry of its own (never prom-client's global one, so tests and
 * several apps in one process do not collide) with prom-client's process metrics, prefixed
 * `lexy_<service>_`, and `lexy_shutdown_draining`. Metrics are created through it by their
 * catalogued name (METRIC); asking twice for one name returns the metric made the first time,
 * so two providers may share one.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly drainingGauge: Gauge;

  constructor(
    readonly service: string,
    options: { processMetrics?: boolean } = {},
  ) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: processMetricsPrefix(service) });
    }
    this.drainingGauge = this.gauge({
      name: METRIC.draining,
      help: '1 while the process drains after a termination signal (it takes no new work), else 0.',
    });
    this.drainingGauge.set(0);
  }

  counter<L extends string>(config: Named<CounterConfiguration<L>>): Counter<L> {
    return this.existing<Counter<L>>(config.name) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Named<GaugeConfiguration<L>>): Gauge<L> {
    return this.existing<Gauge<L>>(config.name) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Named<HistogramConfiguration<L>>): Histogram<L> {
    return (
      this.existing<Histogram<L>>(config.name) ??
      new Histogram({ buckets: LATENCY_BUCKETS, ...config, registers: [this.registry] })
    );
  }

  /** Shows that the process drains (called when its ShutdownState begins). */
  markDraining(): void {
    this.drainingGauge.set(1);
  }

  /** The Prometheus text exposition of every metric, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private existing<M extends Metric>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}

/** `2xx`, `4xx`, …: the status label of HTTP metrics (a bounded set, unlike status codes). */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}
