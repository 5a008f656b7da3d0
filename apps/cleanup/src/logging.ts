import type { Logger } from '@lexy/server-logging';

/** The worker's JSON logger (pino), for lines with fields; Nest's own messages go through it too. */
export const CLEANUP_LOG = Symbol('CLEANUP_LOG');
export type { Logger };
