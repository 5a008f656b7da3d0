import { jest } from '@jest/globals';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Logger } from '@nestjs/common';
import type { DevicesRepository } from '../devices/devices.repository.js';
import type { AuthClient } from '../grpc/grpc-clients.js';
import { authRefusalOf, SocketAuthenticator } from './socket-authenticator.js';

const DEVICE = '0190a000-0000-7000-8000-000000000001';

function authenticator(group = 'normal', device: unknown = { id: DEVICE }) {
  const auth = {
    verifyAccessToken: jest.fn(async () => ({ userId: 'user-1', group, sessionId: 's' })),
  } as unknown as AuthClient;
  const findDevice = jest.fn(async () => device);
  const devices = { findDevice } as unknown as DevicesRepository;
  return { subject: new SocketAuthenticator(auth, devices), findDevice };
}

describe('SocketAuthenticator', () => {
  it('authenticates a device of the token’s registered user', async () => {
    const { subject, findDevice } = authenticator();
    await expect(subject.authenticate('token', DEVICE.toUpperCase())).resolves.toEqual({
      ownerId: 'user-1',
      deviceId: DEVICE,
      group: 'normal',
    });
    expect(findDevice).toHaveBeenCalledWith('user-1', DEVICE);
  });

  it('refuses a device of another account, a malformed device id, and a guest', async () => {
    await expect(authenticator('normal', null).subject.authenticate('token', DEVICE)).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
    });
    await expect(authenticator().subject.authenticate('token', 'not-an-id')).rejects.toMatchObject({
      code: ErrorCode.UNAUTHENTICATED,
    });
    await expect(authenticator('anonymous').subject.authenticate('token', DEVICE)).rejects.toMatchObject({
      code: ErrorCode.RELAY_FORBIDDEN,
    });
  });
});

describe('authRefusalOf', () => {
  it('answers 401/4401 for bad credentials, keeping the auth service’s code', () => {
    const refusal = authRefusalOf(new DomainError(ErrorCode.TOKEN_EXPIRED, 'expired'));
    expect(refusal).toEqual({
      status: 401,
      closeCode: 4401,
      envelope: { error: { code: ErrorCode.TOKEN_EXPIRED, message: 'expired', details: {} } },
    });
    expect(authRefusalOf(new DomainError(ErrorCode.VALIDATION_FAILED, 'bad')).envelope.error.code).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
  });

  it('answers 403/4403 for a disabled account, 503/1013 when the check cannot run', () => {
    expect(authRefusalOf(new DomainError(ErrorCode.ACCOUNT_DISABLED, 'disabled'))).toMatchObject({
      status: 403,
      closeCode: 4403,
    });
    expect(authRefusalOf(new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'down'))).toMatchObject({
      status: 503,
      closeCode: 1013,
    });
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(authRefusalOf(new Error('bug'))).toMatchObject({ status: 503, closeCode: 1013 });
    error.mockRestore();
  });
});
