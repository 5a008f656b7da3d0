import { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { parseDeviceName, parseDeviceRegistration, parseFingerprint, parsePlatform } from './device-registration.js';

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseDeviceName', () => {
  it.each([
    ['Laptop', 'Laptop'],
    ['  Pixel 8  ', 'Pixel 8'],
    ['\tOffice PC\n', 'Office PC'],
    ['x', 'x'],
    ['a'.repeat(64), 'a'.repeat(64)],
    ['😀'.repeat(64), '😀'.repeat(64)],
    ['Cafe\u0301', 'Caf\u00e9'],
    ['Jörg’s iPhone', 'Jörg’s iPhone'],
  ])('%j → %j', (input, expected) => {
    expect(parseDeviceName(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['65 characters', 'a'.repeat(65)],
    ['65 emoji', '😀'.repeat(65)],
    ['a newline inside', 'my\nphone'],
    ['a NUL', 'phone\u0000'],
    ['DEL', 'pho\u007fne'],
    ['a C1 control', 'pho\u0085ne'],
    ['a bidi override', '\u202Eenohp'],
    ['a bidi isolate', 'a\u2066b'],
  ])('refuses %s', (_, input) => {
    const error = failure(() => parseDeviceName(input));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual({ field: 'name' });
  });
});

describe('parsePlatform', () => {
  it.each([
    relayV1.DevicePlatform.DEVICE_PLATFORM_WEB,
    relayV1.DevicePlatform.DEVICE_PLATFORM_ANDROID,
    relayV1.DevicePlatform.DEVICE_PLATFORM_IOS,
    relayV1.DevicePlatform.DEVICE_PLATFORM_WINDOWS,
    relayV1.DevicePlatform.DEVICE_PLATFORM_MACOS,
    relayV1.DevicePlatform.DEVICE_PLATFORM_LINUX,
  ])('accepts %i', (platform) => {
    expect(parsePlatform(platform)).toBe(platform);
  });

  it.each([relayV1.DevicePlatform.DEVICE_PLATFORM_UNSPECIFIED, relayV1.DevicePlatform.UNRECOGNIZED, 7, 1.5])(
    'refuses %d',
    (platform) => {
      expect(failure(() => parsePlatform(platform)).details).toEqual({ field: 'platform' });
    },
  );
});

describe('parseFingerprint', () => {
  it('is null when absent and kept exactly when given', () => {
    expect(parseFingerprint(undefined)).toBeNull();
    expect(parseFingerprint(' Ab-1 ')).toBe(' Ab-1 ');
    expect(parseFingerprint('f'.repeat(128))).toBe('f'.repeat(128));
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'f'.repeat(129)],
    ['a control character', 'ab\u0001'],
  ])('refuses %s', (_, input) => {
    expect(failure(() => parseFingerprint(input)).details).toEqual({ field: 'fingerprint' });
  });
});

describe('parseDeviceRegistration', () => {
  it('checks every field', () => {
    expect(parseDeviceRegistration({ name: ' Desk ', platform: relayV1.DevicePlatform.DEVICE_PLATFORM_LINUX })).toEqual(
      { name: 'Desk', platform: relayV1.DevicePlatform.DEVICE_PLATFORM_LINUX, fingerprint: null },
    );
    expect(
      failure(() =>
        parseDeviceRegistration({ name: 'Desk', platform: relayV1.DevicePlatform.DEVICE_PLATFORM_UNSPECIFIED }),
      ).code,
    ).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
