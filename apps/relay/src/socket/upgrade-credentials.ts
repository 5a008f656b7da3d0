import type { IncomingHttpHeaders } from 'node:http';
import { SUBPROTOCOL } from './socket-frames.js';

/** What an upgrade request may carry to authenticate before the 101. */
export type UpgradeCredentials =
  | {
      kind: 'token';
      token: string;
      /** From `?deviceId=`; empty when missing (then refused with the token). */
      deviceId: string;
    }
  /** `?ticket=`: a single-use ticket from POST /devices/:id/ws-ticket (ws-tickets.ts). */
  | { kind: 'ticket'; ticket: string }
  /** Credentials where they must never be (security-cases WS-01 e): refused with 401. */
  | { kind: 'refused'; message: string };

/**
 * Query parameters that look like a bearer token. A URL is written to access logs, proxies'
 * logs and browser history, so a token there is refused outright, never tried: a client that
 * put it there learns at once instead of leaking it on every reconnect.
 */
const TOKEN_PARAMETERS = new Set(['token', 'access_token', 'accesstoken', 'bearer', 'authorization', 'jwt']);

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
 * The credentials of an upgrade: the token offered beside `lexy.v1` with the `deviceId` of the
 * URL, or a `?ticket=`; null when it carries none (the socket then authenticates with its first
 * frame). A token in the query string, or a ticket and a token together, is `refused`.
 */
export function upgradeCredentials(request: { url?: string; headers: IncomingHttpHeaders }): UpgradeCredentials | null {
  const query = new URL(request.url ?? '/', 'http://relay.invalid').searchParams;
  for (const name of query.keys()) {
    if (TOKEN_PARAMETERS.has(name.toLowerCase())) {
      return { kind: 'refused', message: 'Tokens go in the subprotocol or the auth frame, never in the URL' };
    }
  }
  const token = offeredProtocols(request.headers).find((protocol) => protocol !== SUBPROTOCOL);
  const ticket = query.get('ticket');
  if (ticket !== null) {
    if (token) return { kind: 'refused', message: 'An upgrade carries a ticket or a token, not both' };
    return ticket ? { kind: 'ticket', ticket } : { kind: 'refused', message: 'The WebSocket ticket is empty' };
  }
  if (!token) return null;
  return { kind: 'token', token, deviceId: query.get('deviceId') ?? '' };
}

/** The subprotocol the server answers: `lexy.v1` when offered, none otherwise. */
export function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}
