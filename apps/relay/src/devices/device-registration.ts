import { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';

export const MAX_DEVICE_NAME_LENGTH = 64;
export const MAX_FINGERPRINT_LENGTH = 128;

// C0, DEL and C1 controls, and the bidi controls that make a name display other than it reads:
// a device name is shown on every device of the account, so it stays one plain line.
const CONTROL_CHARACTERS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const KNOWN_PLATFORMS: ReadonlySet<number> = new Set(
  Object.values(relayV1.DevicePlatform).filter(
    (value): value is relayV1.DevicePlatform =>
      typeof value === 'number' &&
      value !== relayV1.DevicePlatform.DEVICE_PLATFORM_UNSPECIFIED &&
      value !== relayV1.DevicePlatform.UNRECOGNIZED,
  ),
);

/** What RegisterDevice stores, once every field has been checked. */
export interface DeviceRegistration {
  name: string;
  platform: relayV1.DevicePlatform;
  fingerprint: string | null;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field });
}

/** Characters as the database counts them (code points), not UTF-16 units. */
function lengthOf(value: string): number {
  return [...value].length;
}

/** The name trimmed and in NFC: 1-64 characters, no control characters. */
export function parseDeviceName(input: string): string {
  const name = input.trim().normalize('NFC');
  if (lengthOf(name) < 1 || lengthOf(name) > MAX_DEVICE_NAME_LENGTH) {
    throw invalid('name', `The device name must be 1 to ${MAX_DEVICE_NAME_LENGTH} characters`);
  }
  if (CONTROL_CHARACTERS.test(name)) throw invalid('name', 'The device name must not contain control characters');
  return name;
}

/** One of the platforms relay.proto names; UNSPECIFIED and unknown numbers are refused. */
export function parsePlatform(input: number): relayV1.DevicePlatform {
  if (!KNOWN_PLATFORMS.has(input)) throw invalid('platform', 'The device platform is required');
  return input as relayV1.DevicePlatform;
}

/**
 * The client's fingerprint exactly as sent (it is compared byte for byte), or null when the
 * request has none. An empty one is refused rather than taken for "none".
 */
export function parseFingerprint(input: string | undefined): string | null {
  if (input === undefined) return null;
  if (lengthOf(input) < 1 || lengthOf(input) > MAX_FINGERPRINT_LENGTH) {
    throw invalid('fingerprint', `The fingerprint must be 1 to ${MAX_FINGERPRINT_LENGTH} characters`);
  }
  if (CONTROL_CHARACTERS.test(input))
    throw invalid('fingerprint', 'The fingerprint must not contain control characters');
  return input;
}

export function parseDeviceRegistration(request: relayV1.RegisterDeviceRequest): DeviceRegistration {
  return {
    name: parseDeviceName(request.name),
    platform: parsePlatform(request.platform),
    fingerprint: parseFingerprint(request.fingerprint),
  };
}
