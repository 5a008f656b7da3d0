import { quotasV1 } from '@lexy/contracts-grpc';
import { requireServiceCaller } from '@lexy/server-grpc';
import { Controller } from '@nestjs/common';
import { StorageMaintenanceService } from './storage-maintenance.service.js';

// The cleanup worker's calls, across owners: each one first checks that the verified caller
// is a platform service (UNAUTHENTICATED without a token, FORBIDDEN for anyone else).
@Controller()
@quotasV1.StorageMaintenanceServiceControllerMethods()
export class StorageMaintenanceController implements quotasV1.StorageMaintenanceServiceController {
  constructor(private readonly maintenance: StorageMaintenanceService) {}

  async releaseStoredFiles(request: quotasV1.ReleaseStoredFilesRequest): Promise<quotasV1.ReleaseStoredFilesResponse> {
    requireServiceCaller();
    return this.maintenance.releaseStoredFiles(request.fileIds);
  }

  async releaseReservations(
    request: quotasV1.ReleaseReservationsRequest,
  ): Promise<quotasV1.ReleaseReservationsResponse> {
    requireServiceCaller();
    const { released } = await this.maintenance.releaseReservations(request.reservationIds);
    return { released };
  }

  async releaseExpiredReservations(
    request: quotasV1.ReleaseExpiredReservationsRequest,
  ): Promise<quotasV1.ReleaseExpiredReservationsResponse> {
    requireServiceCaller();
    const { released } = await this.maintenance.releaseExpiredReservations(request.graceSeconds, request.limit);
    return { released };
  }

  async recomputeStorage(request: quotasV1.RecomputeStorageRequest): Promise<quotasV1.RecomputeStorageResponse> {
    requireServiceCaller();
    return this.maintenance.recomputeStorage(request.afterAccountId, request.limit);
  }
}
