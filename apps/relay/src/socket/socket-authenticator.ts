import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode, toEnvelope, type ErrorEnvelope } from '@lexy/server-errors';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from '../devices/devices.repository.js';
import { AUTH_CLIENT, type AuthClient } from '../grpc/grpc-clients.js';
import { toAccount } from '../relay/account.js';
import { parseId } from '../relay/ids.js';
import { CLOSE_CODES } from './socket-frames.js';

/** Whom a socket acts for once authenticated: one device of one account. */
export interface AuthenticatedDevice {
  ownerId: string;
  deviceId: string;
  /** The account's group, whose download speed applies to the bytes relayed for it. */
  group: string;
}

/** How a refused authentication is answered: before the upgrade, or by closing the socket. */
export interface AuthRefusal {
  status: number;
  closeCode: number;
  envelope: ErrorEnvelope;
}

/**
 * Checks the credentials of a socket: the auth service verifies the token (signature,
 * expiry, session, a disabled account) on every socket, with no cache, since a socket acts for
 * hours on one check; then the device must be one of that registered user's devices.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    @Inject(AUTH_CLIENT) private readonly auth: AuthClient,
    private readonly devices: DevicesRepository,
  ) {}

  async authenticate(token: string, deviceId: string): Promise<AuthenticatedDevice> {
    const verified = await this.auth.verifyAccessToken({ accessToken: token });
    // The same rule as every gRPC call: registered users only (guests have no devices).
    const { ownerId } = toAccount({
      ownerId: verified.userId,
      group: verified.group,
      kind: commonV1.IdentityKind.IDENTITY_KIND_USER,
      quotaAccountId: verified.userId,
    });
    const id = parseId(deviceId);
    const device = id ? await this.devices.findDevice(ownerId, id) : null;
    if (!device) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The deviceId is not a device of this account');
    return { ownerId, deviceId: device.id, group: verified.group };
  }
}

const logger = new Logger('socket-auth');

/**
 * A failed authentication as the client sees it: 403 (4403) for an account that may not use
 * the relay (disabled, a guest), 503 (1013) when the check itself could not run, otherwise
 * 401 (4401) with the auth service's code (expired, revoked…) or UNAUTHENTICATED.
 */
export function authRefusalOf(error: unknown): AuthRefusal {
  if (!(error instanceof DomainError)) {
    logger.error(`socket authentication failed: ${String(error)}`);
    return refusal(503, new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in cannot be checked right now'));
  }
  if (error.httpStatus === 403) return refusal(403, error);
  if (error.httpStatus >= 500) return refusal(503, error);
  if (error.httpStatus === 401) return refusal(401, error);
  return refusal(401, new DomainError(ErrorCode.UNAUTHENTICATED, error.message));
}

function refusal(status: 401 | 403 | 503, error: DomainError): AuthRefusal {
  const closeCode =
    status === 403 ? CLOSE_CODES.forbidden : status === 503 ? CLOSE_CODES.unavailable : CLOSE_CODES.unauthenticated;
  return { status, closeCode, envelope: toEnvelope(error) };
}
