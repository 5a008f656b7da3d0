import { relayV1 } from '@lexy/contracts-grpc';
import type { RelayClient } from './relay-harness.js';

/** Registers a device and returns it. */
export async function registerDevice(
  client: RelayClient,
  overrides: Partial<relayV1.RegisterDeviceRequest> = {},
): Promise<relayV1.Device> {
  const { device } = await client.registerDevice({
    name: 'Test device',
    platform: relayV1.DevicePlatform.DEVICE_PLATFORM_WEB,
    ...overrides,
  });
  if (!device) throw new Error('RegisterDevice returned no device');
  return device;
}

/** Offers one small file from one device to the other and returns the pending transfer. */
export async function offer(
  client: RelayClient,
  from: relayV1.Device,
  to: relayV1.Device,
  overrides: Partial<relayV1.CreateTransferRequest> = {},
): Promise<relayV1.Transfer> {
  const { transfer } = await client.createTransfer({
    fromDeviceId: from.id,
    toDeviceId: to.id,
    files: [{ name: 'notes.txt', sizeBytes: 12, mimeType: 'text/plain' }],
    mode: relayV1.TransferMode.TRANSFER_MODE_RELAY,
    fileIds: [],
    ...overrides,
  });
  if (!transfer) throw new Error('CreateTransfer returned no transfer');
  return transfer;
}

/** Two devices of one account, ready to transfer between. */
export async function devicePair(client: RelayClient): Promise<[relayV1.Device, relayV1.Device]> {
  const sender = await registerDevice(client, {
    name: 'Laptop',
    platform: relayV1.DevicePlatform.DEVICE_PLATFORM_LINUX,
  });
  const receiver = await registerDevice(client, {
    name: 'Phone',
    platform: relayV1.DevicePlatform.DEVICE_PLATFORM_ANDROID,
  });
  return [sender, receiver];
}

export const ACCEPT = relayV1.TransferAction.TRANSFER_ACTION_ACCEPT;
export const REJECT = relayV1.TransferAction.TRANSFER_ACTION_REJECT;
export const CANCEL = relayV1.TransferAction.TRANSFER_ACTION_CANCEL;
export const Status = relayV1.TransferStatus;
