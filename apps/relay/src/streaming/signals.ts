import { ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import { AccountEvents } from '../events/account-events.js';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import type { RelayInput } from '../socket/socket-frames.js';
import { TransfersRepository } from '../transfers/transfers.repository.js';

type SignalFrame = Extract<RelayInput, { type: 'signal' }>;

/** A p2p transfer still being set up or under way: its devices may negotiate WebRTC. */
const SIGNALLING_STATES = new Set(['pending', 'accepted', 'streaming']);

/**
 * `signal` frames (api.md § WebSocket): WebRTC offers, answers and ICE candidates of a p2p
 * transfer, relayed verbatim to the transfer's other device wherever it is connected. The
 * sender is the authenticated socket's device, never a field of the frame (WS-02), and it must
 * be one of the transfer's two devices; anything else is RELAY_FORBIDDEN.
 */
@Injectable()
export class Signals {
  constructor(
    private readonly repository: TransfersRepository,
    private readonly events: AccountEvents,
  ) {}

  async relay(session: DeviceSocketSession, { transferId, payload }: SignalFrame): Promise<void> {
    const { ownerId, deviceId } = session.device;
    const transfer = await this.repository.findTransfer(ownerId, transferId);
    const devices = transfer && [transfer.fromDeviceId, transfer.toDeviceId];
    if (!transfer || !devices?.includes(deviceId) || transfer.mode !== 'p2p') {
      session.send({
        type: 'error',
        code: ErrorCode.RELAY_FORBIDDEN,
        message: 'Signals go between the two devices of a p2p transfer of this account',
        transferId,
      });
      return;
    }
    if (!SIGNALLING_STATES.has(transfer.status)) {
      session.send({
        type: 'error',
        code: ErrorCode.TRANSFER_STATE_CONFLICT,
        message: `The transfer is ${transfer.status}`,
        transferId,
      });
      return;
    }
    const to = deviceId === transfer.fromDeviceId ? transfer.toDeviceId : transfer.fromDeviceId;
    await this.events.publish({
      ownerId,
      deviceIds: [to],
      event: { type: 'signal', transferId, from: deviceId, payload },
    });
  }
}
