import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { addressOwnerKey, ClientAddressResolver } from './client-address.js';

/** The client-address key of a request (IPv4 address or IPv6 /64), proxies considered. */
@Injectable()
export class ClientAddresses {
  private readonly resolver: ClientAddressResolver;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.resolver = new ClientAddressResolver(config.TRUSTED_PROXIES);
  }

  keyOf(request: Request): string {
    return addressOwnerKey(this.resolver.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']));
  }
}
