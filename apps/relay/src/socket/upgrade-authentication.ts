import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { VerifyClientCallbackAsync } from 'ws';
import { authRefusalOf, SocketAuthenticator, type AuthenticatedDevice } from './socket-authenticator.js';
import { upgradeCredentials, type UpgradeCredentials } from './upgrade-credentials.js';
import { SocketTickets } from './ws-tickets.js';

/**
 * Authenticates an upgrade that carries credentials before the 101 (WS-01: a bad token, a used
 * ticket or a token in the URL is a 401, not a socket accepted and then closed). An upgrade
 * without any passes: its socket must then send the auth frame first. The device it
 * authenticated is kept with its request until the socket opens.
 */
@Injectable()
export class UpgradeAuthentication {
  private readonly devices = new WeakMap<IncomingMessage, AuthenticatedDevice>();

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly tickets: SocketTickets,
  ) {}

  /** ws's verifyClient (the asynchronous form): refusals are answered with the JSON envelope. */
  readonly verifyClient: VerifyClientCallbackAsync<IncomingMessage> = ({ req }, answer) => {
    const credentials = upgradeCredentials(req);
    if (!credentials) {
      answer(true);
      return;
    }
    this.check(credentials).then(
      (device) => {
        this.devices.set(req, device);
        answer(true);
      },
      (error: unknown) => {
        const { status, envelope } = authRefusalOf(error);
        answer(false, status, JSON.stringify(envelope), { 'Content-Type': 'application/json' });
      },
    );
  };

  /** The device an upgrade authenticated, once; undefined for an upgrade without credentials. */
  take(request: IncomingMessage): AuthenticatedDevice | undefined {
    const device = this.devices.get(request);
    this.devices.delete(request);
    return device;
  }

  private async check(credentials: UpgradeCredentials): Promise<AuthenticatedDevice> {
    switch (credentials.kind) {
      case 'token':
        return this.authenticator.authenticate(credentials.token, credentials.deviceId);
      case 'ticket':
        return this.tickets.redeem(credentials.ticket);
      case 'refused':
        throw new DomainError(ErrorCode.UNAUTHENTICATED, credentials.message);
    }
  }
}
