import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RELAY_CLIENT, type RelayClient } from '../grpc/grpc-clients.js';
import { CallerGuard } from '../identity/caller.guard.js';
import { RequireGroups, RequireToken } from '../identity/caller.js';
import { GroupGuard } from '../identity/group.guard.js';
import { RegisterDeviceRequest } from './relay.dto.js';
import { DEVICE_PLATFORMS, DeviceListResponse, DeviceResponse, toDeviceView } from './relay.views.js';
import { WsTicketResponse } from './ws-ticket.view.js';

/** The groups that have devices: registered accounts (the relay service checks again). */
export const DEVICE_GROUPS = ['normal', 'vip', 'admin'];

/** Devices of the caller's account, with presence. The relay service owns them. */
@ApiTags('devices')
@ApiBearerAuth()
@Controller('devices')
@UseGuards(CallerGuard, GroupGuard)
@RequireToken()
@RequireGroups(...DEVICE_GROUPS)
export class DevicesController {
  constructor(@Inject(RELAY_CLIENT) private readonly relay: RelayClient) {}

  @Post()
  @ApiOperation({
    summary: 'Register this device',
    description: 'At most 20 devices per account (409 DEVICE_LIMIT_REACHED); the server assigns the id.',
  })
  @ApiCreatedResponse({ type: DeviceResponse })
  async register(@Body() body: RegisterDeviceRequest): Promise<DeviceResponse> {
    const { device } = await this.relay.registerDevice({
      name: body.name,
      platform: DEVICE_PLATFORMS.valueOf(body.platform),
      fingerprint: body.fingerprint,
    });
    return { device: toDeviceView(required(device)) };
  }

  @Get()
  @ApiOperation({ summary: 'The account’s devices with `online` and `lastSeenAt`' })
  @ApiOkResponse({ type: DeviceListResponse })
  async list(): Promise<DeviceListResponse> {
    const { items } = await this.relay.listDevices({});
    return { items: items.map(toDeviceView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a device; its open transfers are cancelled' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    await this.relay.deleteDevice({ deviceId: id });
  }

  @Post(':id/heartbeat')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark the device online for the presence TTL (90 s)' })
  @ApiNoContentResponse()
  async heartbeat(@Param('id') id: string): Promise<void> {
    await this.relay.heartbeat({ deviceId: id });
  }

  @Post(':id/ws-ticket')
  @ApiOperation({
    summary: 'A single-use ticket for /ws?ticket=, valid 60 s',
    description: 'For clients that cannot name a subprotocol; tokens never go in the WebSocket URL.',
  })
  @ApiCreatedResponse({ type: WsTicketResponse })
  async wsTicket(@Param('id') id: string): Promise<WsTicketResponse> {
    const { ticket, expiresInSeconds } = await this.relay.createSocketTicket({ deviceId: id });
    return { ticket, expiresIn: expiresInSeconds };
  }
}

/** A relay answer without the message it promises is the relay's fault, not the caller's. */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new DomainError(ErrorCode.INTERNAL, 'Internal error');
  return value;
}
