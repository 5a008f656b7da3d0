import { timingSafeEqual } from 'node:crypto';
import { filesV1, toTimestamp } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable } from '@nestjs/common';
import type { FileEntity } from './file.entity.js';
import { parseId } from './file-id.js';
import { toPickupFile, toStoredObject } from './file.mapper.js';
import { DOWNLOAD_TICKETS, PICKUP_CODE_SPACE } from './files.dependencies.js';
import { FilesRepository } from './files.repository.js';
import type { DownloadTickets } from './download-ticket.js';
import { PickupCodeCipher } from './pickup-code-cipher.js';
import { normalizePickupCode, type PickupCodeSpace } from './pickup-code.js';
import { PinGate } from './pin-gate.js';

// One message for every unusable code, link token or ticket, so the answer tells nothing
// about why (PC-05).
const PICKUP_CODE_NOT_FOUND = 'Pickup code not found';

function notFound(): DomainError {
  return new DomainError(ErrorCode.PICKUP_CODE_NOT_FOUND, PICKUP_CODE_NOT_FOUND);
}

/** Pickups by whoever holds a code: resolving it (link token, PIN, ticket) and claiming downloads. */
@Injectable()
export class PickupService {
  constructor(
    private readonly repository: FilesRepository,
    private readonly cipher: PickupCodeCipher,
    private readonly pinGate: PinGate,
    @Inject(PICKUP_CODE_SPACE) private readonly codeSpace: PickupCodeSpace,
    @Inject(DOWNLOAD_TICKETS) private readonly tickets: DownloadTickets,
  ) {}

  /**
   * The file behind a code, checked in this order: the code, the link token when one is
   * sent, the download ticket when one is sent, then the PIN. Everything before the PIN
   * fails with the same 404, so a wrong token or ticket tells nothing and costs no PIN
   * attempt; that a wrong link token never resolves is also what makes it safe for the
   * gateway's guessing limits to skip requests that carry one.
   */
  async resolvePickupCode(request: filesV1.ResolvePickupCodeRequest): Promise<filesV1.ResolvePickupCodeResponse> {
    const normalized = normalizePickupCode(request.code, this.codeSpace);
    const ticket = request.downloadTicket;
    // A malformed code still costs one HMAC and one indexed lookup (of a value no code
    // can have), so its answer cannot be told apart by timing (PC-05).
    const file = await this.repository.findPickupable(this.cipher.hmac(normalized ?? '-'), {
      pastDownloadLimit: ticket !== undefined,
    });
    if (!normalized || !file) throw notFound();
    const linkTokenHolder = request.linkToken !== undefined;
    if (linkTokenHolder && !this.linkTokenMatches(file, request.linkToken ?? '')) throw notFound();
    if (ticket !== undefined && !this.tickets.isValid(ticket, file.id)) throw notFound();

    await this.pinGate.check(file, { pin: request.pin, source: request.source ?? '', linkTokenHolder });
    return {
      fileId: file.id,
      file: toPickupFile(file),
      object: toStoredObject(file),
      resumes: ticket !== undefined,
      openToCode: file.pinHash === null && file.downloadLimit === null,
    };
  }

  /** Claims one download (see FilesRepository.claimDownload) and hands out its resume ticket. */
  async claimDownload(request: filesV1.ClaimDownloadRequest): Promise<filesV1.ClaimDownloadResponse> {
    const fileId = parseId(request.fileId);
    if (!fileId || !(await this.repository.claimDownload(fileId))) throw notFound();
    const { ticket, expiresAt } = this.tickets.issue(fileId);
    return { downloadTicket: ticket, ticketExpiresAt: toTimestamp(expiresAt) };
  }

  private linkTokenMatches(file: FileEntity, token: string): boolean {
    if (file.linkTokenHmac === null) return false;
    return timingSafeEqual(Buffer.from(this.cipher.linkTokenHmac(token)), Buffer.from(file.linkTokenHmac));
  }
}
