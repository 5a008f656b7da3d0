import { reusableCallerToken } from '@lexy/server-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { currentRequestContext } from '@lexy/server-logging';
import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { createHash } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { ACCESS_TOKEN_STRATEGY, bearerToken } from './access-token.strategy.js';
import { IdentityKind, REQUIRE_TOKEN, type Caller, type RequestWithCaller } from './caller.js';
import { ClientAddresses } from './client-addresses.js';

const FINGERPRINT = /^[\x21-\x7e]{8,256}$/;

/**
 * Decides who is calling: the user of a valid access token (through the Passport
 * strategy); without a token, the client's address, narrowed by a device fingerprint
 * when one is sent. The caller is then signed into the request context, so every gRPC call made
 * for this request carries it — services believe nothing else (AUTH-08).
 */
@Injectable()
export class CallerGuard extends AuthGuard(ACCESS_TOKEN_STRATEGY) {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly addresses: ClientAddresses,
    private readonly reflector: Reflector,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    if (bearerToken(request) !== undefined) await super.canActivate(context);
    const caller = request.user ? userCaller(request.user.userId, request.user.group) : this.tokenlessCaller(request);

    const tokenRequired = this.reflector.getAllAndOverride<boolean>(REQUIRE_TOKEN, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (tokenRequired && !request.user) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An access token is required');
    }
    request.caller = caller;
    actAs(caller, this.config.INTERNAL_CALLER_SECRET);
    return true;
  }

  /** Passport's outcome: our DomainErrors pass through unchanged. */
  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error instanceof DomainError ? error : new DomainError(ErrorCode.UNAUTHENTICATED, 'Invalid token');
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An access token is required');
    return user;
  }

  /**
   * A caller without a token counts its quotas under its address key (IPv4 address or
   * IPv6 /64) whatever else it sends: a fingerprint only narrows what it owns, to the files
   * that device sent from that address, so rotating it never yields a fresh quota (QR-05).
   */
  private tokenlessCaller(request: RequestWithCaller): Caller {
    const address = this.addresses.keyOf(request);
    const fingerprint = request.headers['x-device-fingerprint'];
    if (typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint)) {
      return {
        ownerId: fingerprintOwnerId(address, fingerprint),
        group: 'anonymous',
        kind: IdentityKind.IDENTITY_KIND_FINGERPRINT,
        quotaAccountId: address,
      };
    }
    return { ownerId: address, group: 'anonymous', kind: IdentityKind.IDENTITY_KIND_ADDRESS, quotaAccountId: address };
  }
}

/** Makes `caller` the identity that this request's gRPC calls carry, signed with `secret`. */
export function actAs(caller: Caller, secret: string): void {
  const context = currentRequestContext();
  if (!context) return;
  context.caller = caller;
  context.callerToken = reusableCallerToken(caller, secret);
}

export function userCaller(userId: string, group: string): Caller {
  return { ownerId: userId, group, kind: IdentityKind.IDENTITY_KIND_USER, quotaAccountId: userId };
}

/** The owner key of a device fingerprint sent from `addressKey`: the pair, never the fingerprint alone. */
export function fingerprintOwnerId(addressKey: string, fingerprint: string): string {
  return `fp:${createHash('sha256').update(`${addressKey}\n${fingerprint}`).digest('hex').slice(0, 40)}`;
}
