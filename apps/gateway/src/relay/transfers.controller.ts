import { relayV1 } from '@lexy/contracts-grpc';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ListFilesQuery as PageQuery } from '../files/file.views.js';
import { RELAY_CLIENT, type RelayClient } from '../grpc/grpc-clients.js';
import { CallerGuard } from '../identity/caller.guard.js';
import { RequireGroups, RequireToken } from '../identity/caller.js';
import { GroupGuard } from '../identity/group.guard.js';
import { DEVICE_GROUPS, required } from './devices.controller.js';
import { CreateTransferRequest } from './relay.dto.js';
import { TRANSFER_MODES, TransferListResponse, TransferResponse, toTransferView } from './relay.views.js';

const { TransferAction } = relayV1;
const CONFLICT =
  'TRANSFER_STATE_CONFLICT: the state machine forbids this transition (details.status is the current one)';

/** Transfer offers between two devices of the caller's account, and their state machine. */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
@UseGuards(CallerGuard, GroupGuard)
@RequireToken()
@RequireGroups(...DEVICE_GROUPS)
export class TransfersController {
  constructor(@Inject(RELAY_CLIENT) private readonly relay: RelayClient) {}

  @Post()
  @ApiOperation({
    summary: 'Offer files from one of the caller’s devices to another',
    description:
      'The transfer starts `pending`; the receiving device is told with `transfer.offered` on /ws (or, offline, ' +
      'when its socket next becomes ready). `stored` offers the caller’s own uploaded files by `fileIds`: ' +
      'it waits until answered or until the first file expires, and accepting it completes it.',
  })
  @ApiCreatedResponse({ type: TransferResponse })
  async create(@Body() body: CreateTransferRequest): Promise<TransferResponse> {
    const { transfer } = await this.relay.createTransfer({
      fromDeviceId: body.fromDeviceId,
      toDeviceId: body.toDeviceId,
      files: (body.files ?? []).map((file) => ({
        name: file.name,
        sizeBytes: file.size,
        mimeType: file.mimeType ?? 'application/octet-stream',
      })),
      mode: TRANSFER_MODES.valueOf(body.mode),
      fileIds: body.fileIds ?? [],
    });
    return { transfer: toTransferView(required(transfer)) };
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s transfers, newest first' })
  @ApiOkResponse({ type: TransferListResponse })
  async list(@Query() query: PageQuery): Promise<TransferListResponse> {
    const page = await this.relay.listTransfers({ page: { limit: query.limit ?? 50, cursor: query.cursor ?? '' } });
    return { items: page.items.map(toTransferView), nextCursor: page.nextCursor || null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of the caller’s transfers' })
  @ApiOkResponse({ type: TransferResponse })
  async get(@Param('id') id: string): Promise<TransferResponse> {
    const { transfer } = await this.relay.getTransfer({ transferId: id });
    return { transfer: toTransferView(required(transfer)) };
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a pending offer' })
  @ApiOkResponse({ type: TransferResponse })
  @ApiConflictResponse({ description: CONFLICT })
  accept(@Param('id') id: string): Promise<TransferResponse> {
    return this.change(id, TransferAction.TRANSFER_ACTION_ACCEPT);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending offer' })
  @ApiOkResponse({ type: TransferResponse })
  @ApiConflictResponse({ description: CONFLICT })
  reject(@Param('id') id: string): Promise<TransferResponse> {
    return this.change(id, TransferAction.TRANSFER_ACTION_REJECT);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Call off a transfer that has not ended' })
  @ApiOkResponse({ type: TransferResponse })
  @ApiConflictResponse({ description: CONFLICT })
  cancel(@Param('id') id: string): Promise<TransferResponse> {
    return this.change(id, TransferAction.TRANSFER_ACTION_CANCEL);
  }

  private async change(transferId: string, action: relayV1.TransferAction): Promise<TransferResponse> {
    const { transfer } = await this.relay.changeTransferState({ transferId, action });
    return { transfer: toTransferView(required(transfer)) };
  }
}
