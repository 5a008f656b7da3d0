/**
 * The messages between a gateway and the relay it runs as its child process (ADR 0011), over
 * their IPC channel. The gateway sends each accepted upgrade on `/ws` with the TCP socket itself
 * as the message's handle; the relay says when it takes sockets and when each handed one closed.
 */

/** An upgrade the gateway accepted and read; the socket travels beside it as the handle. */
export interface HandedUpgrade {
  type: 'lexy.ws.upgrade';
  /** The gateway's number for this socket, named again in the `lexy.ws.closed` notice. */
  id: number;
  method: string;
  url: string;
  /**
   * Flat name/value pairs, as `IncomingMessage.rawHeaders`, with `X-Forwarded-For` replaced by
   * the one address the gateway resolved.
   */
  rawHeaders: string[];
  /** Bytes the client sent after the request's head, base64 (a client waits for the 101, so mostly none). */
  head: string;
}

/** What the relay tells its gateway: ready for sockets, and each handed socket that closed. */
export type HandOverNotice = { type: 'lexy.ws.ready' } | { type: 'lexy.ws.closed'; id: number };

export function isHandedUpgrade(message: unknown): message is HandedUpgrade {
  const upgrade = message as Partial<HandedUpgrade> | null;
  return (
    typeof upgrade === 'object' &&
    upgrade !== null &&
    upgrade.type === 'lexy.ws.upgrade' &&
    typeof upgrade.id === 'number' &&
    typeof upgrade.method === 'string' &&
    typeof upgrade.url === 'string' &&
    Array.isArray(upgrade.rawHeaders) &&
    upgrade.rawHeaders.every((part) => typeof part === 'string') &&
    typeof upgrade.head === 'string'
  );
}

export function isHandOverNotice(message: unknown): message is HandOverNotice {
  const notice = message as Partial<{ type: string; id: unknown }> | null;
  if (typeof notice !== 'object' || notice === null) return false;
  return notice.type === 'lexy.ws.ready' || (notice.type === 'lexy.ws.closed' && typeof notice.id === 'number');
}
