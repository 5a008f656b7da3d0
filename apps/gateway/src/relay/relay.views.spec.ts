import { relayV1, toTimestamp } from '@lexy/contracts-grpc';
import { DEVICE_PLATFORMS, TRANSFER_MODES, TRANSFER_STATUSES, toDeviceView, toTransferView } from './relay.views.js';

describe('relay views', () => {
  it('names the enums as the API does, and back', () => {
    expect(DEVICE_PLATFORMS.names).toEqual(['web', 'android', 'ios', 'windows', 'macos', 'linux']);
    expect(DEVICE_PLATFORMS.valueOf('ios')).toBe(relayV1.DevicePlatform.DEVICE_PLATFORM_IOS);
    expect(DEVICE_PLATFORMS.valueOf('beos')).toBe(0);
    expect(TRANSFER_STATUSES.names).toEqual([
      'pending',
      'accepted',
      'streaming',
      'completed',
      'rejected',
      'cancelled',
      'failed',
      'expired',
    ]);
  });

  it('turns a device and a transfer into their JSON views', () => {
    const at = new Date('2026-12-03T10:00:00.000Z');
    expect(
      toDeviceView({
        id: 'd1',
        name: 'Phone',
        platform: relayV1.DevicePlatform.DEVICE_PLATFORM_ANDROID,
        online: true,
        lastSeenAt: undefined,
        createdAt: toTimestamp(at),
      }),
    ).toEqual({
      id: 'd1',
      name: 'Phone',
      platform: 'android',
      online: true,
      lastSeenAt: null,
      createdAt: at.toISOString(),
    });

    const view = toTransferView({
      id: 't1',
      fromDeviceId: 'd1',
      toDeviceId: 'd2',
      files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain' }],
      mode: relayV1.TransferMode.TRANSFER_MODE_RELAY,
      status: relayV1.TransferStatus.TRANSFER_STATUS_PENDING,
      totalBytes: 3,
      deliveredBytes: 0,
      createdAt: toTimestamp(at),
      updatedAt: toTimestamp(at),
      expiresAt: toTimestamp(at),
    });
    expect(view).toMatchObject({
      files: [{ name: 'a.txt', size: 3, mimeType: 'text/plain' }],
      mode: 'relay',
      status: 'pending',
      failureCode: null,
      expiresAt: at.toISOString(),
    });
  });

  it('names the stored mode and carries each stored file’s id, null for a declared file', () => {
    const at = new Date('2026-12-03T10:00:00.000Z');
    const transfer = {
      id: 't1',
      fromDeviceId: 'd1',
      toDeviceId: 'd2',
      files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain', fileId: 'f1' }],
      mode: relayV1.TransferMode.TRANSFER_MODE_STORED,
      status: relayV1.TransferStatus.TRANSFER_STATUS_PENDING,
      totalBytes: 3,
      deliveredBytes: 0,
      createdAt: toTimestamp(at),
      updatedAt: toTimestamp(at),
      expiresAt: toTimestamp(at),
    };
    expect(TRANSFER_MODES.names).toEqual(['relay', 'p2p', 'stored']);
    expect(TRANSFER_MODES.valueOf('stored')).toBe(relayV1.TransferMode.TRANSFER_MODE_STORED);
    expect(toTransferView(transfer)).toMatchObject({
      mode: 'stored',
      files: [{ name: 'a.txt', size: 3, mimeType: 'text/plain', fileId: 'f1' }],
    });
    const declared = toTransferView({ ...transfer, files: [{ name: 'a.txt', sizeBytes: 3, mimeType: 'text/plain' }] });
    expect(declared.files[0]?.fileId).toBeNull();
  });
});
