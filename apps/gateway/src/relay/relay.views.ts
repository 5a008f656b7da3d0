import { fromTimestamp, relayV1 } from '@lexy/contracts-grpc';
import { ApiProperty } from '@nestjs/swagger';

/** The API's names of the relay enums: the proto's value names in lower case, without their prefix. */
function enumNames<E extends Record<string, string | number>>(values: E, prefix: string) {
  const byNumber = new Map<number, string>();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && value !== 0 && key.startsWith(prefix)) {
      byNumber.set(value, key.slice(prefix.length).toLowerCase());
    }
  }
  const byName = new Map([...byNumber].map(([number, name]) => [name, number]));
  return {
    names: [...byName.keys()],
    nameOf: (value: number): string => byNumber.get(value) ?? 'unknown',
    valueOf: (name: string): number => byName.get(name) ?? 0,
  };
}

export const DEVICE_PLATFORMS = enumNames(relayV1.DevicePlatform, 'DEVICE_PLATFORM_');
export const TRANSFER_MODES = enumNames(relayV1.TransferMode, 'TRANSFER_MODE_');
export const TRANSFER_STATUSES = enumNames(relayV1.TransferStatus, 'TRANSFER_STATUS_');

const iso = (timestamp: relayV1.Device['createdAt']) => fromTimestamp(timestamp)?.toISOString() ?? null;

export class DeviceView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: DEVICE_PLATFORMS.names }) platform: string;
  @ApiProperty({ description: 'A heartbeat or an open socket within the presence TTL' }) online: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DeviceResponse {
  @ApiProperty({ type: DeviceView }) device: DeviceView;
}

export class DeviceListResponse {
  @ApiProperty({ type: [DeviceView] }) items: DeviceView[];
}

export class TransferFileView {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty() mimeType: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'A `stored` transfer: the account’s file holding the bytes (GET /api/v1/files/{id}/download); else null',
  })
  fileId: string | null;
}

export class TransferView {
  @ApiProperty({ description: 'A UUID; its 16 bytes prefix the binary frames on /ws' }) id: string;
  @ApiProperty() fromDeviceId: string;
  @ApiProperty() toDeviceId: string;
  @ApiProperty({ type: [TransferFileView] }) files: TransferFileView[];
  @ApiProperty({ enum: TRANSFER_MODES.names }) mode: string;
  @ApiProperty({ enum: TRANSFER_STATUSES.names }) status: string;
  @ApiProperty({ description: 'Sum of the files’ sizes' }) totalBytes: number;
  @ApiProperty({ description: 'Bytes the receiver confirmed' }) deliveredBytes: number;
  @ApiProperty({ nullable: true, type: String, description: 'Envelope code of a failed transfer' })
  failureCode: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When a pending offer nobody answers expires (a `stored` one: with the first of its files)',
  })
  expiresAt: string;
}

export class TransferResponse {
  @ApiProperty({ type: TransferView }) transfer: TransferView;
}

export class TransferListResponse {
  @ApiProperty({ type: [TransferView] }) items: TransferView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export function toDeviceView(device: relayV1.Device): DeviceView {
  return {
    id: device.id,
    name: device.name,
    platform: DEVICE_PLATFORMS.nameOf(device.platform),
    online: device.online,
    lastSeenAt: iso(device.lastSeenAt),
    createdAt: iso(device.createdAt) ?? '',
  };
}

export function toTransferView(transfer: relayV1.Transfer): TransferView {
  return {
    id: transfer.id,
    fromDeviceId: transfer.fromDeviceId,
    toDeviceId: transfer.toDeviceId,
    files: transfer.files.map((file) => ({
      name: file.name,
      size: file.sizeBytes,
      mimeType: file.mimeType,
      fileId: file.fileId ?? null,
    })),
    mode: TRANSFER_MODES.nameOf(transfer.mode),
    status: TRANSFER_STATUSES.nameOf(transfer.status),
    totalBytes: transfer.totalBytes,
    deliveredBytes: transfer.deliveredBytes,
    failureCode: transfer.failureCode ?? null,
    createdAt: iso(transfer.createdAt) ?? '',
    updatedAt: iso(transfer.updatedAt) ?? '',
    expiresAt: iso(transfer.expiresAt) ?? '',
  };
}
