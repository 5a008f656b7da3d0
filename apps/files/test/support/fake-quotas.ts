import { randomUUID } from 'node:crypto';
import { quotasV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { QuotasClient } from '../../src/files/files.dependencies.js';

interface Reservation {
  ownerId: string;
  bytes: number;
  state: 'reserved' | 'settled' | 'released';
}

/**
 * The quota service in memory, standing in for the gRPC client: it keeps reservations and
 * settled files like the real one (settling is once per file, releases are idempotent) and
 * records every call.
 */
export class FakeQuotas implements QuotasClient {
  readonly calls: Array<{ method: keyof QuotasClient; request: unknown }> = [];
  readonly reservations = new Map<string, Reservation>();
  /** Stored bytes per settled file id. */
  readonly files = new Map<string, { ownerId: string; bytes: number }>();
  /** What every reservation gets, unless a test changes it. */
  reservation: { reservedBytes?: number; limitedBy: quotasV1.LimitKind } = {
    reservedBytes: 1_000_000,
    limitedBy: quotasV1.LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
  };
  retentionSeconds: number | undefined = 6 * 3600;
  /** When set, ReserveStorage fails with this error. */
  refuseWith: { code: ErrorCode; message: string } | undefined;

  async getGroupLimits(request: quotasV1.GetGroupLimitsRequest): Promise<quotasV1.GetGroupLimitsResponse> {
    this.calls.push({ method: 'getGroupLimits', request });
    return {
      limits: {
        group: request.group,
        trafficWindow: quotasV1.TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
        ...(this.retentionSeconds === undefined ? {} : { retentionSeconds: this.retentionSeconds }),
      },
    };
  }

  async reserveStorage(request: quotasV1.ReserveStorageRequest): Promise<quotasV1.ReserveStorageResponse> {
    this.calls.push({ method: 'reserveStorage', request });
    if (this.refuseWith) throw new DomainError(this.refuseWith.code, this.refuseWith.message);
    const reservationId = randomUUID();
    const { reservedBytes: limit, limitedBy } = this.reservation;
    if (request.requestedBytes !== undefined && limit !== undefined && request.requestedBytes > limit) {
      throw new DomainError(ErrorCode.FILE_TOO_LARGE, 'The file is larger than your group allows');
    }
    // Like the real service: the declared size when there is one, else as much as the limits allow.
    const reservedBytes = request.requestedBytes ?? limit;
    this.reservations.set(reservationId, {
      ownerId: request.caller?.ownerId ?? '',
      bytes: reservedBytes ?? 0,
      state: 'reserved',
    });
    return { reservationId, ...(reservedBytes === undefined ? {} : { reservedBytes }), limitedBy };
  }

  async settleReservation(request: quotasV1.SettleReservationRequest): Promise<quotasV1.SettleReservationResponse> {
    this.calls.push({ method: 'settleReservation', request });
    const reservation = this.reservations.get(request.reservationId);
    if (!this.files.has(request.fileId)) {
      if (!reservation || reservation.state !== 'reserved' || reservation.ownerId !== request.ownerId) {
        throw new DomainError(ErrorCode.NOT_FOUND, 'Reservation not found');
      }
      reservation.state = 'settled';
      this.files.set(request.fileId, { ownerId: request.ownerId, bytes: request.actualBytes });
    }
    return { usage: this.usageOf(request.ownerId) };
  }

  async releaseReservation(request: quotasV1.ReleaseReservationRequest): Promise<quotasV1.ReleaseReservationResponse> {
    this.calls.push({ method: 'releaseReservation', request });
    const reservation = this.reservations.get(request.reservationId);
    if (reservation?.state === 'reserved' && reservation.ownerId === request.ownerId) reservation.state = 'released';
    return {};
  }

  async releaseFileStorage(request: quotasV1.ReleaseFileStorageRequest): Promise<quotasV1.ReleaseFileStorageResponse> {
    this.calls.push({ method: 'releaseFileStorage', request });
    if (this.files.get(request.fileId)?.ownerId === request.ownerId) this.files.delete(request.fileId);
    return {};
  }

  async getUsage(request: quotasV1.GetUsageRequest): Promise<quotasV1.GetUsageResponse> {
    this.calls.push({ method: 'getUsage', request });
    return { usage: this.usageOf(request.ownerId) };
  }

  usageOf(ownerId: string): quotasV1.Usage {
    let storageUsedBytes = 0;
    let storageReservedBytes = 0;
    for (const file of this.files.values()) if (file.ownerId === ownerId) storageUsedBytes += file.bytes;
    for (const reservation of this.reservations.values()) {
      if (reservation.ownerId === ownerId && reservation.state === 'reserved')
        storageReservedBytes += reservation.bytes;
    }
    return { storageUsedBytes, storageReservedBytes };
  }

  callsOf(method: keyof QuotasClient): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.request);
  }
}
