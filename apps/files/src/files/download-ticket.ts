import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.js';

/** Long enough to finish a big download over a slow or interrupted link (a laptop closed overnight). */
export const DOWNLOAD_TICKET_TTL_MS = 24 * 60 * 60 * 1000;

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

/**
 * Download tickets (DL-06): a claimed download hands one out, and Range requests that
 * carry it resume that download without claiming another, even once the download limit
 * is reached. A ticket is `<expiry, ms base36>.<HMAC-SHA-256(file id, expiry), base64url>`:
 * bound to one file, unforgeable without the key, and it names no file itself. It only
 * stands in for a claim: the pickup's code, link token and PIN are still checked.
 */
export class DownloadTickets {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly clock: Clock,
    private readonly ttlMs = DOWNLOAD_TICKET_TTL_MS,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'lexy-files', 'download-ticket/v1', 32));
  }

  issue(fileId: string): IssuedTicket {
    const expiresAt = new Date(this.clock.now().getTime() + this.ttlMs);
    const expiry = expiresAt.getTime().toString(36);
    return { ticket: `${expiry}.${this.mac(fileId, expiry).toString('base64url')}`, expiresAt };
  }

  /** Whether the ticket was issued for this file and has not expired. */
  isValid(ticket: string, fileId: string): boolean {
    const [expiry, mac, ...rest] = ticket.split('.');
    if (!expiry || !mac || rest.length > 0 || !/^[0-9a-z]{1,11}$/.test(expiry)) return false;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(fileId, expiry);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    return parseInt(expiry, 36) > this.clock.now().getTime();
  }

  private mac(fileId: string, expiry: string): Buffer {
    return createHmac('sha256', this.key).update(`${fileId}.${expiry}`, 'utf8').digest();
  }
}
