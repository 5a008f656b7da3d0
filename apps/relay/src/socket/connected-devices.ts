import { Injectable } from '@nestjs/common';
import type { DeviceSocketSession } from './device-socket-session.js';
import type { ServerEvent } from './socket-frames.js';

/** Which of an account's devices an event is for. */
export interface Recipients {
  /** Only these devices; absent: every device of the account. */
  deviceIds?: readonly string[];
  /** Every device but this one (device.online/offline go to the account's other devices). */
  exceptDeviceId?: string;
}

/** The authenticated sockets of this replica, by account. */
@Injectable()
export class ConnectedDevices {
  private readonly byOwner = new Map<string, Set<DeviceSocketSession>>();

  add(session: DeviceSocketSession): void {
    const { ownerId } = session.device;
    let sessions = this.byOwner.get(ownerId);
    if (!sessions) this.byOwner.set(ownerId, (sessions = new Set()));
    sessions.add(session);
  }

  remove(session: DeviceSocketSession): void {
    const { ownerId } = session.device;
    const sessions = this.byOwner.get(ownerId);
    sessions?.delete(session);
    if (sessions?.size === 0) this.byOwner.delete(ownerId);
  }

  /** Whether any device of the account has a socket here. */
  hasAccount(ownerId: string): boolean {
    return this.byOwner.has(ownerId);
  }

  /** Whether the device still has a socket here (a reconnect may overlap the old socket's close). */
  isConnected(ownerId: string, deviceId: string): boolean {
    for (const session of this.byOwner.get(ownerId) ?? []) if (session.device.deviceId === deviceId) return true;
    return false;
  }

  /** The device's newest socket here, if it has one (relayed bytes go to one socket). */
  sessionOf(ownerId: string, deviceId: string): DeviceSocketSession | undefined {
    let found: DeviceSocketSession | undefined;
    for (const session of this.byOwner.get(ownerId) ?? []) {
      if (session.device.deviceId === deviceId && session.isOpen) found = session;
    }
    return found;
  }

  /** Sends `event` to the account's sockets here that `recipients` names. */
  deliver(ownerId: string, recipients: Recipients, event: ServerEvent): void {
    for (const session of this.byOwner.get(ownerId) ?? []) {
      const { deviceId } = session.device;
      if (deviceId === recipients.exceptDeviceId) continue;
      if (recipients.deviceIds && !recipients.deviceIds.includes(deviceId)) continue;
      session.send(event);
    }
  }
}
