import type { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Caller = commonV1.Caller;

/** The metadata key that carries the signed caller between services. */
export const CALLER_METADATA_KEY = 'lexy-caller';

/** Long enough for one request's chain of calls, short enough that a leaked token soon dies. */
const DEFAULT_TTL_SECONDS = 300;
const MAX_TOKEN_LENGTH = 1024;

interface CallerClaims {
  sub: string;
  grp: string;
  knd: number;
  /** The quota account (common.proto `quota_account_id`); left out when it is `sub`. */
  acc?: string;
  exp: number;
}

/** The key a caller's quotas count under: its quota account, which defaults to its owner id. */
export function quotaAccountOf(caller: Caller): string {
  return caller.quotaAccountId || caller.ownerId;
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/**
 * An internal token naming the caller: base64url(JSON claims) "." base64url(HMAC-SHA-256).
 * Only holders of INTERNAL_CALLER_SECRET (the gateway and the services) can make one,
 * so a service believes identity only from it, never from a request body or a bare
 * metadata value (AUTH-08).
 */
export function signCallerToken(caller: Caller, secret: string, nowMs = Date.now(), ttlSeconds = DEFAULT_TTL_SECONDS) {
  const claims: CallerClaims = {
    sub: caller.ownerId,
    grp: caller.group,
    knd: caller.kind,
    ...(caller.quotaAccountId && caller.quotaAccountId !== caller.ownerId ? { acc: caller.quotaAccountId } : {}),
    exp: Math.floor(nowMs / 1000) + ttlSeconds,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** How long a signed token is handed out again for the same caller (well inside its 300 s life). */
const REUSE_MS = 60_000;
const MAX_REUSABLE = 10_000;
const reusable = new Map<string, { token: string; reuseUntilMs: number }>();

/**
 * A caller token as signCallerToken makes it, but the same one again for the same caller (and
 * secret) for up to a minute: signing costs an HMAC, a JSON and two base64 passes, on every
 * request, while the token stays valid for five minutes. Every token handed out has at least
 * four minutes left. The memory holds at most MAX_REUSABLE callers; past that it starts over.
 */
export function reusableCallerToken(caller: Caller, secret: string, nowMs = Date.now()): string {
  const key = `${secret}\n${caller.kind}\n${caller.group}\n${caller.ownerId}\n${caller.quotaAccountId}`;
  const kept = reusable.get(key);
  if (kept && kept.reuseUntilMs > nowMs) return kept.token;
  if (reusable.size >= MAX_REUSABLE) reusable.clear();
  const token = signCallerToken(caller, secret, nowMs);
  reusable.set(key, { token, reuseUntilMs: nowMs + REUSE_MS });
  return token;
}

const unauthenticated = () => new DomainError(ErrorCode.UNAUTHENTICATED, 'The caller could not be authenticated');

/** Checks the signature and expiry of a caller token and returns the caller it names. */
export function verifyCallerToken(token: string, secret: string, nowMs = Date.now()): Caller {
  if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated();
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) throw unauthenticated();
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthenticated();
  let claims: Partial<CallerClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<CallerClaims>;
  } catch {
    throw unauthenticated();
  }
  const { sub, grp, knd, acc, exp } = claims;
  if (typeof sub !== 'string' || !sub || typeof grp !== 'string' || !grp || typeof knd !== 'number') {
    throw unauthenticated();
  }
  if (acc !== undefined && (typeof acc !== 'string' || !acc)) throw unauthenticated();
  if (typeof exp !== 'number' || exp * 1000 < nowMs) throw unauthenticated();
  return { ownerId: sub, group: grp, kind: knd, quotaAccountId: acc ?? sub };
}
