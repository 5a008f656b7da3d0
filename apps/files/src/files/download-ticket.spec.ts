import type { Clock } from './clock.js';
import { DOWNLOAD_TICKET_TTL_MS, DownloadTickets } from './download-ticket.js';

const FILE_A = '0190f4a2-2222-7000-8000-00000000000a';
const FILE_B = '0190f4a2-2222-7000-8000-00000000000b';

class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

describe('DownloadTickets', () => {
  let clock: FakeClock;
  let tickets: DownloadTickets;

  beforeEach(() => {
    clock = new FakeClock(new Date('2026-12-01T10:00:00.000Z'));
    tickets = new DownloadTickets('unit-ticket-secret-0123456789abcdef', clock);
  });

  it('accepts a ticket for its own file until it expires, 24 hours after issue', () => {
    const { ticket, expiresAt } = tickets.issue(FILE_A);
    expect(expiresAt).toEqual(new Date('2026-12-02T10:00:00.000Z'));
    expect(DOWNLOAD_TICKET_TTL_MS).toBe(24 * 3600 * 1000);
    expect(tickets.isValid(ticket, FILE_A)).toBe(true);
    clock.advance(DOWNLOAD_TICKET_TTL_MS - 1);
    expect(tickets.isValid(ticket, FILE_A)).toBe(true);
    clock.advance(1);
    expect(tickets.isValid(ticket, FILE_A)).toBe(false);
  });

  it('is bound to its file and does not name it', () => {
    const { ticket } = tickets.issue(FILE_A);
    expect(tickets.isValid(ticket, FILE_B)).toBe(false);
    expect(ticket).not.toContain(FILE_A);
    expect(ticket).not.toContain('0190f4a2');
  });

  it('refuses a ticket signed with another key, an extended expiry and malformed ones', () => {
    const { ticket } = tickets.issue(FILE_A);
    const other = new DownloadTickets('another-secret-0123456789abcdef', clock).issue(FILE_A).ticket;
    expect(tickets.isValid(other, FILE_A)).toBe(false);

    const [expiry, mac] = ticket.split('.') as [string, string];
    const later = (parseInt(expiry, 36) + 3_600_000).toString(36);
    expect(tickets.isValid(`${later}.${mac}`, FILE_A)).toBe(false);
    for (const malformed of ['', '.', expiry, `${expiry}.`, `.${mac}`, `${ticket}.x`, `-1.${mac}`, 'a'.repeat(5000)]) {
      expect(tickets.isValid(malformed, FILE_A)).toBe(false);
    }
  });
});
