import type { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';
import { Presence } from '../presence/presence.js';
import { SocketTickets } from '../socket/ws-tickets.js';
import type { Account } from '../relay/account.js';
import { newId, parseId } from '../relay/ids.js';
import { deviceNotFound } from '../relay/not-found.js';
import { parseDeviceRegistration } from './device-registration.js';
import { DeviceRevocations } from './device-revocations.js';
import { toDevice } from './device.mapper.js';
import { DevicesRepository } from './devices.repository.js';

/** Registering, listing, deleting devices and their heartbeats. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly repository: DevicesRepository,
    private readonly presence: Presence,
    private readonly revocations: DeviceRevocations,
    private readonly tickets: SocketTickets,
    @Inject(RELAY_CONFIG) private readonly config: RelayConfig,
  ) {}

  /**
   * A known fingerprint returns its device (even at the limit: nothing is added); otherwise a
   * new device, while the account has fewer than RELAY_DEVICE_LIMIT. Both are decided under
   * the account's lock, so concurrent registrations never pass the limit together.
   */
  async registerDevice(
    { ownerId }: Account,
    request: relayV1.RegisterDeviceRequest,
  ): Promise<relayV1.RegisterDeviceResponse> {
    const registration = parseDeviceRegistration(request);
    const limit = this.config.RELAY_DEVICE_LIMIT;
    const { device, created } = await this.repository.withDeviceSetLocked(ownerId, async (devices) => {
      if (registration.fingerprint !== null) {
        const known = await devices.findByFingerprint(registration.fingerprint);
        if (known) return { device: known, created: false };
      }
      if ((await devices.count()) >= limit) {
        throw new DomainError(ErrorCode.DEVICE_LIMIT_REACHED, `An account may register at most ${limit} devices`, {
          limit,
        });
      }
      return { device: await devices.insert(newId(), registration), created: true };
    });
    const [online = false] = created ? [] : await this.presence.onlineOf([device.id]);
    return { device: toDevice(device, online), created };
  }

  async listDevices({ ownerId }: Account): Promise<relayV1.ListDevicesResponse> {
    const devices = await this.repository.listDevices(ownerId);
    const online = await this.presence.onlineOf(devices.map((device) => device.id));
    return { items: devices.map((device, index) => toDevice(device, online[index] ?? false)) };
  }

  /**
   * The device goes, and with it its open transfers (cancelled in the same transaction); its
   * open sockets on every replica are closed with 4401 (WS-02).
   */
  async deleteDevice(
    { ownerId }: Account,
    request: relayV1.DeleteDeviceRequest,
  ): Promise<relayV1.DeleteDeviceResponse> {
    const deviceId = parseId(request.deviceId);
    if (!deviceId || !(await this.repository.deleteDevice(ownerId, deviceId))) throw deviceNotFound();
    await this.presence.markOffline(deviceId);
    await this.revocations.publish({ ownerId, deviceId });
    return {};
  }

  /** A single-use ticket for `/ws?ticket=` (WS-01 e), for one of the caller's devices only. */
  async createSocketTicket(
    { ownerId }: Account,
    group: string,
    request: relayV1.CreateSocketTicketRequest,
  ): Promise<relayV1.CreateSocketTicketResponse> {
    const deviceId = parseId(request.deviceId);
    const device = deviceId ? await this.repository.findDevice(ownerId, deviceId) : null;
    if (!device) throw deviceNotFound();
    return this.tickets.issue({ ownerId, deviceId: device.id, group });
  }

  /**
   * last_seen_at is written first: it is the record, kept even when Redis is down, in which
   * case the call fails (SERVICE_UNAVAILABLE) because the device could not be marked online.
   */
  async heartbeat({ ownerId }: Account, request: relayV1.HeartbeatRequest): Promise<relayV1.HeartbeatResponse> {
    const deviceId = parseId(request.deviceId);
    const device = deviceId ? await this.repository.recordHeartbeat(ownerId, deviceId) : null;
    if (!device) throw deviceNotFound();
    await this.presence.markOnline(device.id);
    return { device: toDevice(device, true) };
  }
}
