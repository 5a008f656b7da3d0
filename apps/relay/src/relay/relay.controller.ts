import { relayV1 } from '@lexy/contracts-grpc';
import { requireCaller } from '@lexy/server-grpc';
import { Controller } from '@nestjs/common';
import { DevicesService } from '../devices/devices.service.js';
import { TransfersService } from '../transfers/transfers.service.js';
import { requireAccount } from './account.js';

// Every call acts for the account of the verified caller token only, never for an id from
// the request; requireAccount refuses guests and services before anything is read.
@Controller()
@relayV1.RelayServiceControllerMethods()
export class RelayController implements relayV1.RelayServiceController {
  constructor(
    private readonly devices: DevicesService,
    private readonly transfers: TransfersService,
  ) {}

  async registerDevice(request: relayV1.RegisterDeviceRequest): Promise<relayV1.RegisterDeviceResponse> {
    return this.devices.registerDevice(requireAccount(), request);
  }

  async listDevices(): Promise<relayV1.ListDevicesResponse> {
    return this.devices.listDevices(requireAccount());
  }

  async deleteDevice(request: relayV1.DeleteDeviceRequest): Promise<relayV1.DeleteDeviceResponse> {
    return this.devices.deleteDevice(requireAccount(), request);
  }

  async heartbeat(request: relayV1.HeartbeatRequest): Promise<relayV1.HeartbeatResponse> {
    return this.devices.heartbeat(requireAccount(), request);
  }

  async createSocketTicket(request: relayV1.CreateSocketTicketRequest): Promise<relayV1.CreateSocketTicketResponse> {
    // The group rides with the ticket: the socket's relayed bytes are paced by it (SocketAuthenticator).
    return this.devices.createSocketTicket(requireAccount(), requireCaller().group, request);
  }

  async createTransfer(request: relayV1.CreateTransferRequest): Promise<relayV1.CreateTransferResponse> {
    return this.transfers.createTransfer(requireAccount(), request);
  }

  async getTransfer(request: relayV1.GetTransferRequest): Promise<relayV1.GetTransferResponse> {
    return this.transfers.getTransfer(requireAccount(), request);
  }

  async listTransfers(request: relayV1.ListTransfersRequest): Promise<relayV1.ListTransfersResponse> {
    return this.transfers.listTransfers(requireAccount(), request);
  }

  async changeTransferState(request: relayV1.ChangeTransferStateRequest): Promise<relayV1.ChangeTransferStateResponse> {
    return this.transfers.changeTransferState(requireAccount(), request);
  }
}
