import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { ObjectStorage } from '@lexy/server-storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseByteRange } from './byte-range.js';
import { attachmentDisposition } from './content-disposition.js';
import { QUOTAS_CLIENT, type QuotasClient } from '../grpc/grpc-clients.js';
import { OBJECT_STORAGE } from './storage.provider.js';

export interface DownloadTarget {
  name: string;
  mimeType: string;
  sha256: string;
  objectKey: string;
  sizeBytes: number;
}

/** Types a browser would run or render as a document; always served as opaque bytes. */
const ACTIVE_CONTENT =
  /^(text\/(html|xml|javascript|css)|application\/(xhtml\+xml|xml|javascript|ecmascript|x-javascript)|image\/svg\+xml|multipart\/related|message\/rfc822)/i;

export function servedContentType(storedType: string): string {
  return ACTIVE_CONTENT.test(storedType) ? 'application/octet-stream' : storedType;
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
  ) {}

  /**
   * Streams the object. `beforeFullDownload` runs before the first byte of a request for
   * the whole file, so a download is counted before a client can ask again (download limits).
   */
  async send(
    request: Request,
    response: Response,
    target: DownloadTarget,
    beforeFullDownload?: () => Promise<void>,
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
    if (start === 0 && end === target.sizeBytes - 1) await beforeFullDownload?.();
    const body =
      target.sizeBytes === 0
        ? null
        : await this.storage.openBody(target.objectKey, range.kind === 'partial' ? range : undefined);
    if (body && body.length !== length) {
      body.destroy();
      throw new Error(`Object ${target.objectKey} holds ${body.length} bytes where ${length} were expected`);
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
    // Traffic counts the body bytes that left, also when the client stops early (DL-04).
    let sent = 0;
    try {
      await body.pipeTo(response, (bytes) => (sent += bytes));
    } catch {
      // The client went away or storage failed midway: the connection is already
      // ended short of Content-Length, which is how the client learns of it.
      await this.recordTraffic(Math.min(sent, length));
      return;
    }
    await this.recordTraffic(length);
  }

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
