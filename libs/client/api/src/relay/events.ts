import type { components } from '../generated/schema.js';

// The JSON events of /ws (docs/api.md § WebSocket), as a client meets them.

export type TransferView = components['schemas']['TransferView'];

export type TransferEventType =
  | 'transfer.offered'
  | 'transfer.accepted'
  | 'transfer.rejected'
  | 'transfer.cancelled'
  | 'transfer.expired'
  | 'transfer.completed'
  | 'transfer.failed';

export type ServerEvent =
  | { type: 'ready'; deviceId: string }
  | { type: 'pong' }
  | { type: 'ping' }
  | { type: 'error'; code: string; message: string; transferId?: string }
  | { type: 'device.online' | 'device.offline'; deviceId: string }
  | { type: TransferEventType; transfer: TransferView }
  | { type: 'transfer.progress'; transferId: string; bytes: number }
  | { type: 'transfer.sent'; transferId: string; sha256: string[] }
  | { type: 'transfer.resume'; transferId: string; offset: number }
  | { type: 'signal'; transferId: string; from: string; payload: unknown };

export type ClientEvent =
  | { type: 'auth'; token: string; deviceId: string }
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'transfer.sent'; transferId: string; sha256: string[] }
  | { type: 'transfer.received'; transferId: string; ok: boolean }
  | { type: 'transfer.resume'; transferId: string; offset: number };

/** A text frame as an event, or null when it is not one (a client ignores what it does not know). */
export function parseServerEvent(text: string): ServerEvent | null {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as ServerEvent;
    }
  } catch {
    // not JSON
  }
  return null;
}

/** Whether an event carries a transfer (the ones whose state changed). */
export function isTransferEvent(event: ServerEvent): event is Extract<ServerEvent, { transfer: TransferView }> {
  return 'transfer' in event && typeof event.transfer === 'object' && event.transfer !== null;
}
