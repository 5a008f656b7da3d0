// Types of local-s3.mjs for TypeScript callers (tests import it directly, without a build).

export interface LocalS3Options {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 9000. */
  port?: number;
  /** Where objects are kept; created if missing. */
  directory: string;
  /** Default 'lexy-local'. */
  accessKey?: string;
  /** Default 'lexy-local-secret'. */
  secretKey?: string;
  /** Created if missing. */
  buckets?: string[];
  /** Log every request to stdout. Default false. */
  logRequests?: boolean;
}

export interface LocalS3 {
  /** e.g. http://127.0.0.1:9000 */
  endpoint: string;
  /** The port actually bound. */
  port: number;
  /** Stops the server; idempotent. */
  close(): Promise<void>;
}

/** Rejects with a one-line message (and `code`, e.g. EADDRINUSE) when it cannot listen. */
export function startLocalS3(options: LocalS3Options): Promise<LocalS3>;
