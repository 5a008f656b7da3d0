import { ErrorCode } from '@lexy/server-errors';
import type { RawData } from 'ws';
import type { TransferJson } from '../transfers/transfer-json.js';
import type { TransferState } from '../transfers/transfer-state-machine.js';

// The JSON text frames of /ws (api.md § WebSocket): what a device may send, what it is sent.

/** The subprotocol a client names, with its access token beside it: `lexy.v1, <token>`. */
export const SUBPROTOCOL = 'lexy.v1';

/** Close codes: 4000 + the HTTP status the same refusal gets before the upgrade. */
export const CLOSE_CODES = {
  unauthenticated: 4401,
  forbidden: 4403,
  silent: 4408,
  /** Standard "try again later": the relay could not check the credentials right now. */
  unavailable: 1013,
} as const;

/** The longest token or device id an auth frame may carry (the gateway accepts tokens up to 4096). */
const MAX_CREDENTIAL_LENGTH = 4096;

export type ClientFrame = { type: 'auth'; token: string; deviceId: string } | { type: 'ping' };

export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; message: string };

export type DeviceEventType = 'device.online' | 'device.offline';
/** The states a transfer's devices are told it reached; `streaming` shows in the bytes themselves. */
type AnnouncedState = Exclude<TransferState, 'pending' | 'streaming'>;
export type TransferEventType = 'transfer.offered' | `transfer.${AnnouncedState}`;

/** The event a move to `state` is announced with, or null for a state that is not announced. */
export function transferEventOf(state: TransferState): TransferEventType | null {
  return state === 'pending' || state === 'streaming' ? null : `transfer.${state}`;
}

/** What the relay sends a device. */
export type ServerEvent =
  | { type: 'ready'; deviceId: string }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: DeviceEventType; deviceId: string }
  | { type: TransferEventType; transfer: TransferJson };

const invalid = (message: string): ParsedFrame => ({ ok: false, message });

const isCredential = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_CREDENTIAL_LENGTH;

/**
 * One frame from a device. Anything that is not a JSON object of a known `type` with valid
 * fields is `ok: false`, with a message for the error frame it is answered with.
 */
export function parseClientFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return invalid('Binary frames carry the bytes of an accepted relay transfer only');
  let value: unknown;
  try {
    value = JSON.parse(rawText(data));
  } catch {
    return invalid('A text frame must be JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('A text frame must be a JSON object with a type');
  }
  const frame = value as Record<string, unknown>;
  switch (frame['type']) {
    case 'ping':
      return { ok: true, frame: { type: 'ping' } };
    case 'auth': {
      const { token, deviceId } = frame;
      if (!isCredential(token) || !isCredential(deviceId)) return invalid('An auth frame needs a token and a deviceId');
      return { ok: true, frame: { type: 'auth', token, deviceId } };
    }
    default:
      return invalid(`Unknown frame type ${JSON.stringify(String(frame['type'])).slice(0, 80)}`);
  }
}

export function validationError(message: string): ServerEvent {
  return { type: 'error', code: ErrorCode.VALIDATION_FAILED, message };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
