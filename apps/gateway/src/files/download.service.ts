import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { ObjectStorage } from '@lexy/server-storage';
import type { DownloadGate } from '@lexy/server-throttle';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseByteRange } from './byte-range.js';
import { attachmentDisposition } from './content-disposition.js';
import { QUOTAS_CLIENT, type QuotasClient } from '../grpc/grpc-clients.js';
import type { RequestWithCaller } from '../identity/caller.js';
import { ActiveDownloads } from './active-downloads.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { DownloadThrottle } from '../throttle/download-throttle.js';
import { OBJECT_STORAGE } from './storage.provider.js';

export interface DownloadTarget {
  /** The file's id: a download of it is cut when the file is deleted meanwhile. */
  fileId: string;
  name: string;
  mimeType: string;
  sha256: string;
  objectKey: string;
  sizeBytes: number;
}

/**
 * Stored types that are served as they are: data no browser runs or renders as a document.
 * An allow-list, since browsers run more types than any deny-list names (text/ecmascript,
 * text/x-javascript, text/jscript…); everything else is served as opaque bytes.
 */
const PASSIVE_CONTENT =
  /^(image\/(png|jpeg|gif|webp|avif|bmp)|audio\/[\w.+-]+|video\/[\w.+-]+|text\/(plain|csv)|application\/(octet-stream|zip|gzip|x-tar|x-7z-compressed|x-rar-compressed|x-bzip2|x-xz|pdf|json|vnd\.[\w.+-]+))$/i;

export function servedContentType(storedType: string): string {
  const type = storedType.split(';')[0]!.trim().toLowerCase();
  return PASSIVE_CONTENT.test(type) && !type.includes('xml') ? type : 'application/octet-stream';
}

/**
 * Streams an object to the client as an attachment (design decision 8): never rendered
 * inline in our origin, `Range` honoured, nothing cached, and the bytes piped straight
 * from storage to the socket.
 */
@Injectable()
export class DownloadService {
  private readonly logger = new Logger('download');

  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(QUOTAS_CLIENT) private readonly quotas: QuotasClient,
    private readonly throttle: DownloadThrottle,
    private readonly active: ActiveDownloads,
    private readonly metrics: GatewayMetrics,
  ) {}

  /**
   * Streams the object. `beforeFirstByte` runs once the range is known to be satisfiable, the
   * traffic admitted and the object opened, and before any byte is sent, whatever the range: a
   * pickup claims its download there (exact download limits, DL-06), and may still refuse it or
   * set response headers.
   */
  async send(
    request: Request,
    response: Response,
    target: DownloadTarget,
    beforeFirstByte?: () => Promise<void>,
  ): Promise<void> {
    const range = parseByteRange(request.headers.range, target.sizeBytes);
    setDownloadHeaders(response, target);
    if (range.kind === 'unsatisfiable') {
      throw new DomainError(ErrorCode.RANGE_NOT_SATISFIABLE, 'The requested range is outside the file', {
        size: target.sizeBytes,
      });
    }

    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end : target.sizeBytes - 1;
    const length = end - start + 1;
    // Traffic admission first (QR-02): the whole length must fit what is left of the
    // caller's allowance, or nothing is sent (429 QUOTA_EXCEEDED) and nothing is counted.
    const reservationId = length > 0 ? await this.reserveTraffic(length) : undefined;
    let sent = 0;
    const caller = (request as RequestWithCaller).caller;
    // No gate at all for an unlimited group: the download path stays as it was.
    const gate = caller && length > 0 ? await this.throttle.gateFor(caller).catch(this.unthrottled) : undefined;
    try {
      const body =
        target.sizeBytes === 0
          ? null
          : await this.storage.openBody(target.objectKey, range.kind === 'partial' ? range : undefined);
      if (body && body.length !== length) {
        body.destroy();
        throw new Error(`Object ${target.objectKey} holds ${body.length} bytes where ${length} were expected`);
      }
      // After traffic admission and once the bytes can be read, so neither a download refused
      // for traffic nor one that storage cannot serve (DL-06) uses up a download.
      try {
        await beforeFirstByte?.();
      } catch (error) {
        body?.destroy();
        throw error;
      }

      response.setHeader('Content-Length', String(Math.max(length, 0)));
      if (range.kind === 'partial') {
        response.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${target.sizeBytes}`);
      } else {
        response.status(200);
      }
      if (!body) {
        response.end();
        return;
      }
      const untrack = this.active.track(target.fileId, () => {
        body.destroy();
        response.destroy();
      });
      const countSent = (bytes: number) => {
        sent += bytes;
        this.metrics.downloaded(bytes);
      };
      try {
        await body.pipeTo(response, countSent, gate && this.timedPermit(gate));
      } catch {
        // The client went away, storage failed midway or the file was deleted: the connection
        // is already ended short of Content-Length, which is how the client learns of it.
      } finally {
        untrack();
      }
    } finally {
      void gate?.close().catch(() => undefined);
      // Traffic counts the body bytes that left, also when the client stops early (DL-04).
      await this.settleTraffic(reservationId, Math.min(sent, length));
    }
  }

  /** Admits the download against the caller's traffic quota; undefined for a group without one. */
  private async reserveTraffic(bytes: number): Promise<string | undefined> {
    try {
      const { reservationId } = await this.quotas.reserveTraffic({ bytes });
      this.metrics.limiter('traffic-quota', 'allowed');
      return reservationId;
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.QUOTA_EXCEEDED) {
        this.metrics.limiter('traffic-quota', 'refused');
      }
      throw error;
    }
  }

  /** The gate's permits, each write counted as let through at once or held back by the speed limit. */
  private timedPermit(gate: DownloadGate): DownloadGate['permit'] {
    return (bytes) => {
      const wait = gate.permit(bytes);
      this.metrics.limiter('download-speed', wait ? 'delayed' : 'allowed');
      return wait;
    };
  }

  private async settleTraffic(reservationId: string | undefined, sentBytes: number): Promise<void> {
    if (reservationId === undefined) return this.recordTraffic(sentBytes);
    try {
      await this.quotas.settleTraffic({ reservationId, sentBytes });
    } catch (error) {
      // The reservation then stays counted in full: too much, never too little.
      this.logger.warn(`could not settle ${sentBytes} bytes of traffic: ${(error as Error).message}`);
    }
  }

  /** Without the group's limits the download still goes, unthrottled, rather than failing. */
  private readonly unthrottled = (error: Error): undefined => {
    this.logger.warn(`download speed limit unknown, not applied: ${error.message}`);
    return undefined;
  };

  private async recordTraffic(bytes: number): Promise<void> {
    if (bytes <= 0) return;
    try {
      await this.quotas.recordTraffic({ bytes });
    } catch (error) {
      this.logger.warn(`could not record ${bytes} bytes of traffic: ${(error as Error).message}`);
    }
  }
}

function setDownloadHeaders(response: Response, target: DownloadTarget): void {
  response.setHeader('Content-Type', servedContentType(target.mimeType));
  response.setHeader('Content-Disposition', attachmentDisposition(target.name));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
  response.setHeader('Cross-Origin-Resource-Policy', 'same-site');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Accept-Ranges', 'bytes');
  response.setHeader('X-File-Sha256', target.sha256);
  response.setHeader('Repr-Digest', `sha-256=:${Buffer.from(target.sha256, 'hex').toString('base64')}:`);
}
