import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';
import { addressOwnerKey, ClientAddressResolver } from './client-address.js';

/** The client address of a request and its key (IPv4 address or IPv6 /64), proxies considered. */
@Injectable()
export class ClientAddresses {
  private readonly resolver: ClientAddressResolver;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.resolver = new ClientAddressResolver(config.TRUSTED_PROXIES);
  }

  keyOf(request: IncomingMessage): string {
    return addressOwnerKey(this.addressOf(request));
  }

  /** The client's own address (what a forwarded request names in X-Forwarded-For). */
  addressOf(request: IncomingMessage): string {
    return this.resolver.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
  }
}
