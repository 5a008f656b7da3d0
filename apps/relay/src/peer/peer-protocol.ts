import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RawData } from 'ws';
import { rawBytes, type RelayInput, type ServerEvent } from '../socket/socket-frames.js';

// The internal WebSocket between relay replicas (ADR 0008). The replica a transfer's bytes
// enter through (the sender's, which holds the stream) opens one link per transfer to the
// replica holding the receiver's socket. Down the link: the sender's binary frames unchanged,
// and `deliver` text frames carrying events for the receiver. Up the link: `answer` frames
// carrying the receiver's own frames about the transfer. Backpressure is TCP's: the receiver's
// replica stops reading the link while the receiver is behind.

export const PEER_PATH = '/peer';
/** Replicas prove they are replicas with the platform's internal secret (INTERNAL_CALLER_SECRET). */
export const PEER_SECRET_HEADER = 'x-lexy-peer-secret';

export const PEER_CLOSE_CODES = {
  /** The stream is over or moves elsewhere: nothing failed. */
  released: 1000,
  /** The receiving device has no socket on the replica the link was opened to. */
  receiverNotHere: 4404,
  /** Another link (a resume through another replica) carries the transfer now. */
  superseded: 4409,
  /** The receiving device's socket closed: the transfer may resume when it comes back. */
  receiverGone: 4410,
} as const;

/** Whom a link carries bytes for. */
export interface PeerTarget {
  transferId: string;
  ownerId: string;
  /** The receiving device, connected to the replica the link goes to. */
  deviceId: string;
}

/** The receiver's frames about a transfer that travel up a link. */
export type ReceiverAnswer = Extract<RelayInput, { type: 'transfer.received' | 'transfer.resume' }>;

export type PeerFrame = { type: 'deliver'; event: ServerEvent } | { type: 'answer'; answer: ReceiverAnswer };

export function peerLinkUrl(replica: string, target: PeerTarget): string {
  const url = new URL(PEER_PATH, replica);
  url.searchParams.set('transferId', target.transferId);
  url.searchParams.set('ownerId', target.ownerId);
  url.searchParams.set('deviceId', target.deviceId);
  return url.toString();
}

export function peerTargetOf(request: IncomingMessage): PeerTarget | null {
  const url = new URL(request.url ?? '/', 'ws://peer');
  const transferId = url.searchParams.get('transferId');
  const ownerId = url.searchParams.get('ownerId');
  const deviceId = url.searchParams.get('deviceId');
  if (url.pathname !== PEER_PATH || !transferId || !ownerId || !deviceId) return null;
  return { transferId, ownerId, deviceId };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request carries the internal secret (compared in constant time). */
export function hasPeerSecret(request: IncomingMessage, secret: string): boolean {
  const presented = request.headers[PEER_SECRET_HEADER];
  return typeof presented === 'string' && timingSafeEqual(digest(presented), digest(secret));
}

/** A text frame of a link; null for anything malformed (replicas of one version never send it). */
export function parsePeerFrame(data: RawData): PeerFrame | null {
  try {
    const frame = JSON.parse(rawBytes(data).toString('utf8')) as PeerFrame;
    if (frame.type === 'deliver' && typeof frame.event?.type === 'string') return frame;
    if (frame.type === 'answer' && typeof frame.answer?.type === 'string') return frame;
  } catch {
    // fall through
  }
  return null;
}
