import { fromTimestamp } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { aFileEntity, UNIT_FILE_ID } from '../../test/support/file-entity.js';
import type { FileEntity } from './file.entity.js';
import { strictMock, type StrictMock } from '../../test/support/strict-mock.js';
import type { Clock } from './clock.js';
import { DownloadTickets } from './download-ticket.js';
import type { FilesRepository } from './files.repository.js';
import { PickupCodeCipher } from './pickup-code-cipher.js';
import { DEFAULT_CODE_SPACE } from './pickup-code.js';
import { PickupService } from './pickup.service.js';
import type { PinGate } from './pin-gate.js';

const cipher = new PickupCodeCipher('unit-pepper-0123456789abcdef0123456789', 'unit-key-0123456789abcdef0123456789ab');
const TOKEN = 'q1w2e3r4t5y6u7i8o9p0aa';
const file = aFileEntity({ codeHmac: cipher.hmac('ABC123'), linkTokenHmac: cipher.linkTokenHmac(TOKEN) });

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('PickupService', () => {
  let repository: StrictMock<FilesRepository>;
  let pinGate: StrictMock<PinGate>;
  let clock: { current: Date } & Clock;
  let tickets: DownloadTickets;
  let service: PickupService;

  beforeEach(() => {
    repository = strictMock<FilesRepository>('repository');
    pinGate = strictMock<PinGate>('pinGate');
    clock = {
      current: new Date('2026-12-01T10:00:00.000Z'),
      now() {
        return this.current;
      },
    };
    tickets = new DownloadTickets('unit-ticket-secret-0123456789abcdef', clock);
    service = new PickupService(repository, cipher, pinGate, DEFAULT_CODE_SPACE, tickets);
  });

  describe('resolvePickupCode', () => {
    it('does the same lookup for a malformed code, and answers the same', async () => {
      repository.findPickupable.mockResolvedValue(null);
      const malformed = await rejection(service.resolvePickupCode({ code: 'UUUUUU' }));
      const unknown = await rejection(service.resolvePickupCode({ code: 'abc-123' }));
      expect(repository.findPickupable).toHaveBeenCalledTimes(2);
      expect(repository.findPickupable).toHaveBeenLastCalledWith(cipher.hmac('ABC123'), { pastDownloadLimit: false });
      expect([malformed.code, malformed.message]).toEqual([unknown.code, unknown.message]);
      expect(unknown.code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
    });

    it('passes the PIN, the source and whether the link token came to the PIN gate', async () => {
      repository.findPickupable.mockResolvedValue(file);
      pinGate.check.mockResolvedValue(undefined);
      const resolved = await service.resolvePickupCode({ code: 'abc123', pin: '123456', source: 'ip:1' });
      expect(resolved).toEqual(expect.objectContaining({ fileId: UNIT_FILE_ID, resumes: false }));
      expect(pinGate.check).toHaveBeenLastCalledWith(file, { pin: '123456', source: 'ip:1', linkTokenHolder: false });

      await service.resolvePickupCode({ code: 'abc123', linkToken: TOKEN, source: 'ip:1' });
      expect(pinGate.check).toHaveBeenLastCalledWith(file, { pin: undefined, source: 'ip:1', linkTokenHolder: true });
    });

    it('says a file is open to anyone holding its code only when it has neither PIN nor download limit', async () => {
      pinGate.check.mockResolvedValue(undefined);
      const openness = async (overrides: Partial<FileEntity>) => {
        repository.findPickupable.mockResolvedValue({ ...file, pinHash: null, downloadLimit: null, ...overrides });
        return (await service.resolvePickupCode({ code: 'ABC123', pin: '123456' })).openToCode;
      };
      expect(await openness({})).toBe(true);
      expect(await openness({ pinHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' })).toBe(false);
      expect(await openness({ downloadLimit: 3 })).toBe(false);
    });

    it('answers a wrong or empty link token like an unknown code, before any PIN attempt', async () => {
      repository.findPickupable.mockResolvedValue(null);
      const unknown = await rejection(service.resolvePickupCode({ code: 'ZZZZZZ' }));
      repository.findPickupable.mockResolvedValue(file);
      for (const linkToken of ['', `${TOKEN.slice(0, -1)}b`, 'x'.repeat(300)]) {
        const wrong = await rejection(service.resolvePickupCode({ code: 'ABC123', linkToken, pin: '123456' }));
        expect([wrong.code, wrong.message, wrong.details]).toEqual([unknown.code, unknown.message, unknown.details]);
      }
      // A file committed before share links existed has no token to match.
      repository.findPickupable.mockResolvedValue({ ...file, linkTokenHmac: null });
      expect((await rejection(service.resolvePickupCode({ code: 'ABC123', linkToken: TOKEN }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      expect(pinGate.check).not.toHaveBeenCalled();
    });

    it('with a valid download ticket, looks past the download limit and says the download resumes', async () => {
      repository.claimDownload.mockResolvedValue(true);
      const { downloadTicket } = await service.claimDownload({ fileId: UNIT_FILE_ID });
      repository.findPickupable.mockResolvedValue(file);
      pinGate.check.mockResolvedValue(undefined);
      const resolved = await service.resolvePickupCode({ code: 'ABC123', downloadTicket });
      expect(repository.findPickupable).toHaveBeenCalledWith(cipher.hmac('ABC123'), { pastDownloadLimit: true });
      expect(resolved.resumes).toBe(true);
    });

    it('answers an expired ticket or one of another file with the uniform 404', async () => {
      repository.claimDownload.mockResolvedValue(true);
      const { downloadTicket } = await service.claimDownload({ fileId: UNIT_FILE_ID });
      const other = (await service.claimDownload({ fileId: '0190f4a2-2222-7000-8000-0000000000ff' })).downloadTicket;
      repository.findPickupable.mockResolvedValue(file);
      expect((await rejection(service.resolvePickupCode({ code: 'ABC123', downloadTicket: other }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      clock.current = new Date(clock.current.getTime() + 24 * 3600 * 1000);
      expect((await rejection(service.resolvePickupCode({ code: 'ABC123', downloadTicket }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      expect(pinGate.check).not.toHaveBeenCalled();
    });

    it('passes the PIN gate’s refusal through', async () => {
      repository.findPickupable.mockResolvedValue(file);
      pinGate.check.mockRejectedValue(new DomainError(ErrorCode.PIN_REQUIRED, 'This file needs its PIN'));
      expect((await rejection(service.resolvePickupCode({ code: 'ABC123' }))).code).toBe(ErrorCode.PIN_REQUIRED);
    });
  });

  describe('claimDownload', () => {
    it('hands out a ticket for the file when the claim wins', async () => {
      repository.claimDownload.mockResolvedValue(true);
      const claimed = await service.claimDownload({ fileId: UNIT_FILE_ID.toUpperCase() });
      expect(repository.claimDownload).toHaveBeenCalledWith(UNIT_FILE_ID);
      expect(tickets.isValid(claimed.downloadTicket, UNIT_FILE_ID)).toBe(true);
      expect(fromTimestamp(claimed.ticketExpiresAt)).toEqual(new Date('2026-12-02T10:00:00.000Z'));
    });

    it('answers a lost claim, and a malformed id, with the uniform 404', async () => {
      repository.claimDownload.mockResolvedValue(false);
      expect((await rejection(service.claimDownload({ fileId: UNIT_FILE_ID }))).code).toBe(
        ErrorCode.PICKUP_CODE_NOT_FOUND,
      );
      expect((await rejection(service.claimDownload({ fileId: 'x' }))).code).toBe(ErrorCode.PICKUP_CODE_NOT_FOUND);
      expect(repository.claimDownload).toHaveBeenCalledTimes(1);
    });
  });
});
