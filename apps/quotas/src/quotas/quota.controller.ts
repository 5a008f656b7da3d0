import { quotasV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { requireAccount } from './quota-account.js';
import { toGroupLimits, toUsage } from './quota.mapper.js';
import { QuotaService } from './quota.service.js';

// Every call about an owner acts for the verified caller of the `lexy-caller` metadata,
// never for an id from the request body (AUTH-08), and counts against its quota account.
@Controller()
@quotasV1.QuotaServiceControllerMethods()
export class QuotaController implements quotasV1.QuotaServiceController {
  constructor(private readonly quotas: QuotaService) {}

  async getGroupLimits(request: quotasV1.GetGroupLimitsRequest): Promise<quotasV1.GetGroupLimitsResponse> {
    return { limits: toGroupLimits(await this.quotas.getGroupLimits(request.group)) };
  }

  async reserveStorage(request: quotasV1.ReserveStorageRequest): Promise<quotasV1.ReserveStorageResponse> {
    const reservation = await this.quotas.reserveStorage(requireAccount(), request.requestedBytes);
    return {
      reservationId: reservation.id,
      reservedBytes: reservation.bytes ?? undefined,
      limitedBy: reservation.limitedBy,
    };
  }

  async settleReservation(request: quotasV1.SettleReservationRequest): Promise<quotasV1.SettleReservationResponse> {
    return { usage: toUsage(await this.quotas.settleReservation(requireAccount(), request)) };
  }

  async releaseReservation(request: quotasV1.ReleaseReservationRequest): Promise<quotasV1.ReleaseReservationResponse> {
    await this.quotas.releaseReservation(requireAccount().accountId, request);
    return {};
  }

  async releaseFileStorage(request: quotasV1.ReleaseFileStorageRequest): Promise<quotasV1.ReleaseFileStorageResponse> {
    await this.quotas.releaseFileStorage(requireAccount().accountId, request);
    return {};
  }

  async getUsage(): Promise<quotasV1.GetUsageResponse> {
    return { usage: toUsage(await this.quotas.getUsage(requireAccount())) };
  }

  async recordTraffic(request: quotasV1.RecordTrafficRequest): Promise<quotasV1.RecordTrafficResponse> {
    return { usage: toUsage(await this.quotas.recordTraffic(requireAccount(), request.bytes)) };
  }

  async moveFileStorage(request: quotasV1.MoveFileStorageRequest): Promise<quotasV1.MoveFileStorageResponse> {
    return { usage: toUsage(await this.quotas.moveFileStorage(requireAccount(), request)) };
  }

  async reserveTraffic(request: quotasV1.ReserveTrafficRequest): Promise<quotasV1.ReserveTrafficResponse> {
    const reservationId = await this.quotas.reserveTraffic(requireAccount(), request.bytes);
    return { reservationId: reservationId ?? undefined };
  }

  async settleTraffic(request: quotasV1.SettleTrafficRequest): Promise<quotasV1.SettleTrafficResponse> {
    await this.quotas.settleTraffic(requireAccount(), request);
    return {};
  }
}
