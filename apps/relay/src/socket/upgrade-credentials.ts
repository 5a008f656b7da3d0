import type { IncomingHttpHeaders } from 'node:http';
import { SUBPROTOCOL } from './socket-frames.js';

/** What an upgrade request may carry to authenticate before the 101. */
export interface UpgradeCredentials {
  token: string;
  /** From `?deviceId=`; empty when missing (then refused with the token). */
  deviceId: string;
}

/** The subprotocols a client offers, in its order (`Sec-WebSocket-Protocol: lexy.v1, <token>`). */
export function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  const header = headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header
    .split(',')
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

/**
 * The token offered beside `lexy.v1` and the `deviceId` of the URL, or null when the upgrade
 * carries no token: the socket then has to authenticate with its first frame.
 */
export function upgradeCredentials(request: { url?: string; headers: IncomingHttpHeaders }): UpgradeCredentials | null {
  const token = offeredProtocols(request.headers).find((protocol) => protocol !== SUBPROTOCOL);
  if (!token) return null;
  const deviceId = new URL(request.url ?? '/', 'http://relay.invalid').searchParams.get('deviceId') ?? '';
  return { token, deviceId };
}

/** The subprotocol the server answers: `lexy.v1` when offered, none otherwise. */
export function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}
