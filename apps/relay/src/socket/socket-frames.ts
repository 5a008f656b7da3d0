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
  /** Standard "policy violation": control frames far faster than any client sends (WS-05 flood). */
  policy: 1008,
  /** Standard "try again later": the relay could not check the credentials right now. */
  unavailable: 1013,
  /** Standard "going away": this relay replica shuts down; connect again (another replica takes the socket). */
  goingAway: 1001,
} as const;

/** The longest token or device id an auth frame may carry (the gateway accepts tokens up to 4096). */
const MAX_CREDENTIAL_LENGTH = 4096;

/** The most files an offer may declare (transfer-offer.ts), so the most checksums `transfer.sent` carries. */
const MAX_CHECKSUMS = 100;
/** WebRTC offers with many ICE candidates stay well under this. */
const MAX_SIGNAL_BYTES = 64 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ClientFrame =
  | { type: 'auth'; token: string; deviceId: string }
  | { type: 'ping' }
  /** The sender of a relay transfer sent every byte (api.md § Bytes). */
  | { type: 'transfer.sent'; transferId: string; sha256: string[] }
  /** Its receiver checked the bytes against those checksums. */
  | { type: 'transfer.received'; transferId: string; ok: boolean }
  /**
   * Resuming after a dropped socket (api.md § Resume): from the receiver, the bytes it holds;
   * from the sender, that its next bytes start there.
   */
  | { type: 'transfer.resume'; transferId: string; offset: number }
  /** WebRTC negotiation of a p2p transfer (offer/answer/ICE), for the transfer's other device. */
  | { type: 'signal'; transferId: string; payload: unknown };

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
  /** `transferId` when the error is about one transfer (PEER_GONE while it waits for a resume). */
  | { type: 'error'; code: ErrorCode; message: string; transferId?: string }
  | { type: DeviceEventType; deviceId: string }
  | { type: TransferEventType; transfer: TransferJson }
  | { type: 'transfer.progress'; transferId: string; bytes: number }
  | { type: 'transfer.sent'; transferId: string; sha256: string[] }
  | { type: 'transfer.resume'; transferId: string; offset: number }
  | { type: 'signal'; transferId: string; from: string; payload: unknown };

const invalid = (message: string): ParsedFrame => ({ ok: false, message });

const isCredential = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_CREDENTIAL_LENGTH;

const isTransferId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

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
    case 'transfer.sent': {
      const { transferId, sha256 } = frame;
      const valid =
        Array.isArray(sha256) &&
        sha256.length <= MAX_CHECKSUMS &&
        sha256.every((hash) => typeof hash === 'string' && SHA256_HEX.test(hash));
      if (!isTransferId(transferId) || !valid) {
        return invalid('A transfer.sent frame needs a transferId and a sha256 hex digest per file');
      }
      return {
        ok: true,
        frame: { type: 'transfer.sent', transferId: transferId.toLowerCase(), sha256: sha256 as string[] },
      };
    }
    case 'transfer.received': {
      const { transferId, ok } = frame;
      if (!isTransferId(transferId) || typeof ok !== 'boolean') {
        return invalid('A transfer.received frame needs a transferId and ok');
      }
      return { ok: true, frame: { type: 'transfer.received', transferId: transferId.toLowerCase(), ok } };
    }
    case 'transfer.resume': {
      const { transferId, offset } = frame;
      if (!isTransferId(transferId) || !Number.isSafeInteger(offset) || (offset as number) < 0) {
        return invalid('A transfer.resume frame needs a transferId and a byte offset');
      }
      return {
        ok: true,
        frame: { type: 'transfer.resume', transferId: transferId.toLowerCase(), offset: offset as number },
      };
    }
    case 'signal': {
      const { transferId, payload } = frame;
      if (!isTransferId(transferId) || payload === undefined) {
        return invalid('A signal frame needs a transferId and a payload');
      }
      if (JSON.stringify(payload).length > MAX_SIGNAL_BYTES) {
        return invalid(`A signal payload is at most ${MAX_SIGNAL_BYTES} bytes of JSON`);
      }
      return { ok: true, frame: { type: 'signal', transferId: transferId.toLowerCase(), payload } };
    }
    default:
      return invalid(`Unknown frame type ${JSON.stringify(String(frame['type'])).slice(0, 80)}`);
  }
}

export function validationError(message: string): ServerEvent {
  return { type: 'error', code: ErrorCode.VALIDATION_FAILED, message };
}

/** What a ready socket hands the relayed-bytes code: a binary frame, or a transfer.sent/received/resume frame. */
export type RelayInput =
  | { type: 'bytes'; data: Buffer }
  | Extract<ClientFrame, { type: 'transfer.sent' | 'transfer.received' | 'transfer.resume' | 'signal' }>;

/** A frame's bytes as one Buffer, however ws handed it over. */
export function rawBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

function rawText(data: RawData): string {
  return rawBytes(data).toString('utf8');
}
