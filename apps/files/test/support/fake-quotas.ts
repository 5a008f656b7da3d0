import { randomUUID } from 'node:crypto';
import { quotasV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { requireCaller } from '@lexy/server-grpc';
import type { QuotasClient } from '../../src/files/files.dependencies.js';

interface Reservation {
  ownerId: string;
  bytes: number;
  state: 'reserved' | 'settled' | 'released';
}

/** The owner a call acts for: like the real service, the caller of the request context, never the body. */
function callerId(): string {
  return requireCaller().ownerId;
}

/**
 * The quota service in memory, standing in for the gRPC client: it keeps reservations and
 * settled files like the real one (settling is once per file, releases are idempotent),
 * acts for the caller of the files call it serves, and records every call with that caller.
 */
export class FakeQuotas implements QuotasClient {
  readonly calls: Array<{ method: keyof QuotasClient; request: unknown; ownerId: string | undefined }> = [];
  readonly reservations = new Map<string, Reservation>();
  /** Stored bytes per settled file id. */
  readonly files = new Map<string, { ownerId: string; bytes: number }>();
  /** What every reservation gets, unless a test changes it. */
  reservation: { reservedBytes?: number; limitedBy: quotasV1.LimitKind } = {
    reservedBytes: 1_000_000,
    limitedBy: quotasV1.LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
  };
  retentionSeconds: number | undefined = 6 * 3600;
  /** The group's storage limit in GetGroupLimits (the fake enforces it nowhere else); none unless a test sets it. */
  storageBytes: number | undefined;
  /** When set, ReserveStorage fails with this error. */
  refuseWith: { code: ErrorCode; message: string } | undefined;
  /** Files whose MoveFileStorage is refused, with the error code to refuse with. */
  readonly moveRefusals = new Map<string, ErrorCode>();

  async getGroupLimits(request: quotasV1.GetGroupLimitsRequest): Promise<quotasV1.GetGroupLimitsResponse> {
    this.record('getGroupLimits', request);
    return {
      limits: {
        group: request.group,
        trafficWindow: quotasV1.TrafficWindow.TRAFFIC_WINDOW_UNSPECIFIED,
        ...(this.retentionSeconds === undefined ? {} : { retentionSeconds: this.retentionSeconds }),
        ...(this.storageBytes === undefined ? {} : { storageBytes: this.storageBytes }),
      },
    };
  }

  async reserveStorage(request: quotasV1.ReserveStorageRequest): Promise<quotasV1.ReserveStorageResponse> {
    const ownerId = this.record('reserveStorage', request);
    if (this.refuseWith) throw new DomainError(this.refuseWith.code, this.refuseWith.message);
    const reservationId = randomUUID();
    const { reservedBytes: limit, limitedBy } = this.reservation;
    if (request.requestedBytes !== undefined && limit !== undefined && request.requestedBytes > limit) {
      throw new DomainError(ErrorCode.FILE_TOO_LARGE, 'The file is larger than your group allows');
    }
    // Like the real service: the declared size when there is one, else as much as the limits allow.
    const reservedBytes = request.requestedBytes ?? limit;
    this.reservations.set(reservationId, {
      ownerId,
      bytes: reservedBytes ?? 0,
      state: 'reserved',
    });
    return { reservationId, ...(reservedBytes === undefined ? {} : { reservedBytes }), limitedBy };
  }

  async settleReservation(request: quotasV1.SettleReservationRequest): Promise<quotasV1.SettleReservationResponse> {
    const ownerId = this.record('settleReservation', request);
    const reservation = this.reservations.get(request.reservationId);
    if (!this.files.has(request.fileId)) {
      if (!reservation || reservation.state !== 'reserved' || reservation.ownerId !== ownerId) {
        throw new DomainError(ErrorCode.NOT_FOUND, 'Reservation not found');
      }
      reservation.state = 'settled';
      this.files.set(request.fileId, { ownerId, bytes: request.actualBytes });
    }
    return { usage: this.usageOf(ownerId) };
  }

  async releaseReservation(request: quotasV1.ReleaseReservationRequest): Promise<quotasV1.ReleaseReservationResponse> {
    const ownerId = this.record('releaseReservation', request);
    const reservation = this.reservations.get(request.reservationId);
    if (reservation?.state === 'reserved' && reservation.ownerId === ownerId) reservation.state = 'released';
    return {};
  }

  async releaseFileStorage(request: quotasV1.ReleaseFileStorageRequest): Promise<quotasV1.ReleaseFileStorageResponse> {
    const ownerId = this.record('releaseFileStorage', request);
    if (this.files.get(request.fileId)?.ownerId === ownerId) this.files.delete(request.fileId);
    return {};
  }

  async getUsage(request: quotasV1.GetUsageRequest): Promise<quotasV1.GetUsageResponse> {
    const ownerId = this.record('getUsage', request);
    return { usage: this.usageOf(ownerId) };
  }

  async recordTraffic(request: quotasV1.RecordTrafficRequest): Promise<quotasV1.RecordTrafficResponse> {
    return { usage: this.usageOf(this.record('recordTraffic', request)) };
  }

  // Download traffic is the gateway's business; the files service never admits or settles it.
  async reserveTraffic(request: quotasV1.ReserveTrafficRequest): Promise<quotasV1.ReserveTrafficResponse> {
    this.record('reserveTraffic', request);
    return {};
  }

  async settleTraffic(request: quotasV1.SettleTrafficRequest): Promise<quotasV1.SettleTrafficResponse> {
    this.record('settleTraffic', request);
    return {};
  }

  async moveFileStorage(request: quotasV1.MoveFileStorageRequest): Promise<quotasV1.MoveFileStorageResponse> {
    const ownerId = this.record('moveFileStorage', request);
    const file = this.files.get(request.fileId);
    if (file?.ownerId !== ownerId) {
      if (!file || file.ownerId !== request.fromOwnerId)
        throw new DomainError(ErrorCode.NOT_FOUND, 'Stored file not found');
      const refusal = this.moveRefusals.get(request.fileId);
      if (refusal) throw new DomainError(refusal, 'Refused by the fake');
      file.ownerId = ownerId;
    }
    return { usage: this.usageOf(ownerId) };
  }

  usageOf(ownerId: string): quotasV1.Usage {
    let storageUsedBytes = 0;
    let storageReservedBytes = 0;
    for (const file of this.files.values()) if (file.ownerId === ownerId) storageUsedBytes += file.bytes;
    for (const reservation of this.reservations.values()) {
      if (reservation.ownerId === ownerId && reservation.state === 'reserved')
        storageReservedBytes += reservation.bytes;
    }
    // The files service never records traffic; the fake reports none.
    return { storageUsedBytes, storageReservedBytes, trafficUsedBytes: 0 };
  }

  private record(method: keyof QuotasClient, request: unknown): string {
    // GetGroupLimits needs no caller; every other call fails without one, as in quotas.
    const ownerId = method === 'getGroupLimits' ? undefined : callerId();
    this.calls.push({ method, request, ownerId });
    return ownerId ?? '';
  }

  callsOf(method: keyof QuotasClient): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.request);
  }
}
