// Types of round-robin-proxy.mjs for TypeScript callers (tests import it directly, without a build).
import type { IncomingMessage } from 'node:http';

export interface RoundRobinProxy {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  port: number;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** The backends' origins, in the order requests go to them. */
  backends: string[];
  /** Stops listening and cuts every open connection, upgraded WebSockets included. */
  close(): Promise<void>;
}

/**
 * Starts a reverse proxy that sends each request and each WebSocket upgrade to the next backend
 * in turn, skipping backends that refuse the connection; 502 in the API's error envelope when
 * none is up.
 */
export function startRoundRobinProxy(options: {
  /** 0 for any free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URLs such as http://127.0.0.1:8081. */
  backends: string[];
  /** Hears when a backend stops or starts answering. */
  log?: (name: string, line: string) => void;
}): Promise<RoundRobinProxy>;

/** The headers a request is forwarded with, as a flat [name, value, …] list (exported for tests). */
export function forwardedRequestHeaders(request: IncomingMessage, options?: { upgrade?: boolean }): string[];
