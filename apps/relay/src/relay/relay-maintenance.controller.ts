import { relayV1 } from '@lexy/contracts-grpc';
import { requireServiceCaller } from '@lexy/server-grpc';
import { Controller } from '@nestjs/common';
import { TransfersService } from '../transfers/transfers.service.js';

// Maintenance calls span every account's transfers, so only a platform service may make them
// (FORBIDDEN for any other verified caller, UNAUTHENTICATED without one).
@Controller()
@relayV1.RelayMaintenanceServiceControllerMethods()
export class RelayMaintenanceController implements relayV1.RelayMaintenanceServiceController {
  constructor(private readonly transfers: TransfersService) {}

  async expireOffers(request: relayV1.ExpireOffersRequest): Promise<relayV1.ExpireOffersResponse> {
    requireServiceCaller();
    return this.transfers.expireOffers(request);
  }
}
