import { createHash } from 'node:crypto';
import type { RequestWithCaller } from '../identity/caller.js';

const MAX_FINGERPRINT_LENGTH = 256;

/**
 * The keys a lookup is charged to: always the client address key (IPv4 address or IPv6 /64,
 * proxies considered), plus the account of a token and the device fingerprint when sent.
 * Rotating accounts or fingerprints therefore never escapes the address's limit, and a
 * persistent account or device is limited wherever it connects from.
 */
export function pickupSources(request: RequestWithCaller, addressKey: string): string[] {
  const sources = [addressKey];
  if (request.user) sources.push(`user:${request.user.userId}`);
  const fingerprint = request.headers['x-device-fingerprint'];
  if (typeof fingerprint === 'string' && fingerprint.length > 0 && fingerprint.length <= MAX_FINGERPRINT_LENGTH) {
    sources.push(`device:${createHash('sha256').update(fingerprint).digest('hex').slice(0, 32)}`);
  }
  return sources;
}

/** Callers that must solve a challenge past the global budget: no token, or an anonymous one. */
export function isAnonymous(request: RequestWithCaller): boolean {
  return (request.user?.group ?? 'anonymous') === 'anonymous';
}

/**
 * A lookup with a share-link token skips the guessing limits: the files service resolves it
 * only when the 128-bit token belongs to the code, so guessing codes this way finds nothing.
 */
export function carriesLinkToken(request: RequestWithCaller): boolean {
  const token = request.query['t'];
  return typeof token === 'string' && token.length > 0;
}

/**
 * A download with a pass skips them too: the pass was issued by a lookup that was admitted, and
 * an unusable one is refused before any code is looked up (FilesController.redeemPass).
 */
export function carriesDownloadPass(request: RequestWithCaller): boolean {
  const pass = request.query['pass'];
  return typeof pass === 'string' && pass.length > 0;
}
