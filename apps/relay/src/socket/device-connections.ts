import { ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { AccountEvents } from '../events/account-events.js';
import { Presence } from '../presence/presence.js';
import { SocketLocations } from '../presence/socket-locations.js';
import { RelaySessions } from '../streaming/relay-sessions.js';
import { Signals } from '../streaming/signals.js';
import { PendingOffers } from '../transfers/pending-offers.js';
import { ConnectedDevices } from './connected-devices.js';
import type { DeviceSocketSession, SessionHooks, SessionTimings } from './device-socket-session.js';
import type { RelayInput, ServerEvent } from './socket-frames.js';
import { SocketAuthenticator } from './socket-authenticator.js';

const signalUnavailable = (transferId: string): ServerEvent => ({
  type: 'error',
  code: ErrorCode.SERVICE_UNAVAILABLE,
  message: 'The signal could not be relayed right now',
  transferId,
});

/** api.md: the auth frame must come within 5 s. */
const AUTH_DEADLINE_MS = 5_000;

/**
 * What the relay does as sockets come and go: a connected device is online (its presence mark
 * is renewed with every heartbeat, well inside the presence TTL) and the account's other
 * devices hear `device.online`; when its last socket closes it is offline at once.
 */
@Injectable()
export class DeviceConnections implements SessionHooks {
  readonly timings: SessionTimings;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly connected: ConnectedDevices,
    private readonly presence: Presence,
    private readonly events: AccountEvents,
    private readonly relaySessions: RelaySessions,
    private readonly locations: SocketLocations,
    private readonly signals: Signals,
    private readonly pendingOffers: PendingOffers,
    @Inject(RELAY_CONFIG) config: RelayConfig,
  ) {
    this.timings = { authDeadlineMs: AUTH_DEADLINE_MS, pingIntervalMs: config.RELAY_WS_PING_SECONDS * 1000 };
  }

  authenticate(token: string, deviceId: string) {
    return this.authenticator.authenticate(token, deviceId);
  }

  ready(session: DeviceSocketSession): void {
    const { ownerId, deviceId } = session.device;
    this.connected.add(session);
    this.pendingOffers.announceTo(session);
    void this.markOnline(deviceId).then(async () => {
      await this.events.publish({ ownerId, exceptDeviceId: deviceId, event: { type: 'device.online', deviceId } });
      // Once its location is recorded, so that the replica holding the other device finds it.
      await this.relaySessions.deviceReady(session).catch(() => undefined);
    });
  }

  beat(session: DeviceSocketSession): void {
    void this.markOnline(session.device.deviceId);
  }

  relay(session: DeviceSocketSession, input: RelayInput): void {
    if (input.type === 'signal') {
      void this.signals.relay(session, input).catch(() => session.send(signalUnavailable(input.transferId)));
      return;
    }
    this.relaySessions.handle(session, input);
  }

  closed(session: DeviceSocketSession): void {
    const { ownerId, deviceId } = session.device;
    this.connected.remove(session);
    this.relaySessions.socketClosed(session);
    // A device that reconnected here before its old socket closed stays online.
    if (this.connected.isConnected(ownerId, deviceId)) return;
    void this.locations.markGone(deviceId);
    void this.presence
      .markOffline(deviceId)
      .then(() =>
        this.events.publish({ ownerId, exceptDeviceId: deviceId, event: { type: 'device.offline', deviceId } }),
      );
  }

  /**
   * Online, with its socket on this replica. A socket stays open without Redis; both show again
   * with the next heartbeat (the failures are logged).
   */
  private async markOnline(deviceId: string): Promise<void> {
    await Promise.all([this.presence.markOnline(deviceId).catch(() => undefined), this.locations.markHere(deviceId)]);
  }
}
