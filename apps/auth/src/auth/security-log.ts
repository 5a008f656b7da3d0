import type { Logger } from '@lexy/server-logging';

/** Injection token of the logger that records security events (token reuse, lock-outs, admin changes). */
export const SECURITY_LOG = Symbol('SECURITY_LOG');
export type SecurityLog = Logger;
