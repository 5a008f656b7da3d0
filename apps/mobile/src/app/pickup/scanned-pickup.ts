import { normalizePickupCode, parseShareUrl } from '@lexy/client-api';

/** A pickup the scanned text points to: its code, and the share link's token if it was a link. */
export interface ScannedPickup {
  code: string;
  token: string | null;
}

/**
 * Reads what a QR code said: a share link (`<origin>/p/<code>?t=<token>`, the one the Send
 * screen's QR codes carry) or a bare pickup code, read as forgivingly as a typed one. Anything
 * else (another site's link, some text) is no pickup: null.
 */
export function parseScannedPickup(text: string): ScannedPickup | null {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) return parseShareUrl(trimmed);
  const code = normalizePickupCode(trimmed);
  return code ? { code, token: null } : null;
}
