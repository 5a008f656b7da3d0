import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { AUTH_CLIENT, type AuthClient } from '../grpc/grpc-clients.js';
import { IdentityKind, REQUIRE_TOKEN, type Caller, type RequestWithCaller } from './caller.js';
import { addressOwnerKey, ClientAddressResolver } from './client-address.js';

const BEARER = /^Bearer ([\w.~+/=-]{1,4096})$/i;
const FINGERPRINT = /^[\x21-\x7e]{8,256}$/;

/**
 * Decides who is calling: the user named by a verified access token; without a token,
 * a device fingerprint when one is sent, else the client's address. Identity never
 * comes from anything else the client sends (headers like x-user-id are ignored).
 */
@Injectable()
export class CallerGuard implements CanActivate {
  private readonly addresses: ClientAddressResolver;

  constructor(
    @Inject(AUTH_CLIENT) private readonly auth: AuthClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly reflector: Reflector,
  ) {
    this.addresses = new ClientAddressResolver(config.TRUSTED_PROXIES);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    request.caller = await this.resolve(request);
    const tokenRequired = this.reflector.getAllAndOverride<boolean>(REQUIRE_TOKEN, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (tokenRequired && request.caller.kind !== IdentityKind.IDENTITY_KIND_USER) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An access token is required');
    }
    return true;
  }

  private async resolve(request: RequestWithCaller): Promise<Caller> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization)?.[1];
      if (!token) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is missing or malformed');
      const verified = await this.auth.verifyAccessToken({ accessToken: token });
      return { ownerId: verified.userId, group: verified.group, kind: IdentityKind.IDENTITY_KIND_USER };
    }
    const fingerprint = request.headers['x-device-fingerprint'];
    if (typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint)) {
      const digest = createHash('sha256').update(fingerprint).digest('hex').slice(0, 40);
      return { ownerId: `fp:${digest}`, group: 'anonymous', kind: IdentityKind.IDENTITY_KIND_FINGERPRINT };
    }
    const address = this.addresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    return { ownerId: addressOwnerKey(address), group: 'anonymous', kind: IdentityKind.IDENTITY_KIND_ADDRESS };
  }
}
