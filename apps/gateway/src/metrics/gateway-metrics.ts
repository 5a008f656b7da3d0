import { METRIC, ServiceMetrics, type Counter, type Gauge, type Histogram } from '@lexy/server-metrics';
import { Injectable } from '@nestjs/common';
import { ActiveDownloads } from '../files/active-downloads.js';

/** How an upload body arrives: tus (PATCH, creation-with-upload) or in one request (multipart POST, PUT). */
export type UploadVia = 'tus' | 'direct';

/** What a limiter decided for one request or one write: let it through, refuse it, or make it wait. */
export type LimiterDecision = 'allowed' | 'refused' | 'delayed';

/**
 * The gateway's limiters, by the name their decisions carry:
 * - pickup-source: the per-source pickup-lookup limits (per minute, lock-outs; PC-02), Redis down included;
 * - pickup-budget: the global failure budget that asks anonymous callers for a proof of work;
 * - traffic-quota: a download's admission against the caller's traffic allowance;
 * - download-speed: each write of a download under the group's speed (allowed at once, or delayed).
 */
export type LimiterName = 'pickup-source' | 'pickup-budget' | 'traffic-quota' | 'download-speed';

/** The gateway's own metrics (METRIC.gateway…, METRIC.httpRequestDuration), on the process's ServiceMetrics. */
@Injectable()
export class GatewayMetrics {
  readonly requestDuration: Histogram<'method' | 'route' | 'status_class'>;
  private readonly uploadBytes: Counter<'via'>;
  private readonly downloadBytes: Counter;
  private readonly activeUploads: Gauge<'via'>;
  private readonly webSockets: Gauge;
  private readonly limiterDecisions: Counter<'limiter' | 'decision'>;

  constructor(metrics: ServiceMetrics, downloads: ActiveDownloads) {
    this.requestDuration = metrics.histogram({
      name: METRIC.httpRequestDuration,
      help: 'Duration of the HTTP requests the gateway answered, by method, route template and status class.',
      labelNames: ['method', 'route', 'status_class'],
    });
    this.uploadBytes = metrics.counter({
      name: METRIC.gatewayUploadBytes,
      help: 'Upload body bytes the gateway took in, by how they came (tus or direct).',
      labelNames: ['via'],
    });
    this.downloadBytes = metrics.counter({
      name: METRIC.gatewayDownloadBytes,
      help: 'Download body bytes the gateway sent.',
    });
    this.activeUploads = metrics.gauge({
      name: METRIC.gatewayActiveUploads,
      help: 'Upload bodies being received now, by how they come (tus or direct).',
      labelNames: ['via'],
    });
    for (const via of ['tus', 'direct'] as const) this.activeUploads.set({ via }, 0);
    metrics.gauge({
      name: METRIC.gatewayActiveDownloads,
      help: 'Downloads being streamed now.',
      collect() {
        this.set(downloads.size);
      },
    });
    this.webSockets = metrics.gauge({
      name: METRIC.gatewayWebSockets,
      help: "Devices' WebSockets this gateway pipes to the relay now.",
    });
    this.webSockets.set(0);
    this.limiterDecisions = metrics.counter({
      name: METRIC.gatewayLimiterDecisions,
      help: 'Decisions of the gateway’s limiters, by limiter and decision (allowed, refused, delayed).',
      labelNames: ['limiter', 'decision'],
    });
  }

  /** An upload body starts arriving; the returned function says it ended (once). */
  uploadStarted(via: UploadVia): () => void {
    this.activeUploads.inc({ via });
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.activeUploads.dec({ via });
    };
  }

  uploaded(via: UploadVia, bytes: number): void {
    if (bytes > 0) this.uploadBytes.inc({ via }, bytes);
  }

  downloaded(bytes: number): void {
    if (bytes > 0) this.downloadBytes.inc(bytes);
  }

  /** A devices' WebSocket is piped now; the returned function says it closed (once). */
  webSocketOpened(): () => void {
    this.webSockets.inc();
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.webSockets.dec();
    };
  }

  limiter(limiter: LimiterName, decision: LimiterDecision): void {
    this.limiterDecisions.inc({ limiter, decision });
  }
}
