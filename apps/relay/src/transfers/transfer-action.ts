import { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { DeviceAction } from './transfer-state-machine.js';

const ACTIONS: Partial<Record<relayV1.TransferAction, DeviceAction>> = {
  [relayV1.TransferAction.TRANSFER_ACTION_ACCEPT]: 'accept',
  [relayV1.TransferAction.TRANSFER_ACTION_REJECT]: 'reject',
  [relayV1.TransferAction.TRANSFER_ACTION_CANCEL]: 'cancel',
};

/** The action of a ChangeTransferState request; UNSPECIFIED and unknown numbers are refused. */
export function parseTransferAction(action: relayV1.TransferAction): DeviceAction {
  const parsed = ACTIONS[action];
  if (!parsed) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The transfer action is required', { field: 'action' });
  }
  return parsed;
}
