import { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { parseId } from '../relay/ids.js';
import { deviceNotFound } from '../relay/not-found.js';
import type { TransferFileEntity, TransferModeName } from './transfer.entity.js';

export const MAX_FILES_PER_TRANSFER = 100;
export const MAX_FILE_NAME_LENGTH = 255;
export const FALLBACK_MIME_TYPE = 'application/octet-stream';

// C0, DEL and C1 controls and the bidi controls: the receiver shows the name, and saves under it.
const CONTROL_CHARACTERS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// RFC 9110 token characters on both sides of the slash; parameters are not kept.
const MIME_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const MODES: Partial<Record<relayV1.TransferMode, TransferModeName>> = {
  [relayV1.TransferMode.TRANSFER_MODE_RELAY]: 'relay',
  [relayV1.TransferMode.TRANSFER_MODE_P2P]: 'p2p',
  [relayV1.TransferMode.TRANSFER_MODE_STORED]: 'stored',
};

/** A CreateTransfer request once every field has been checked (the devices' owner is not yet). */
export interface TransferOffer {
  fromDeviceId: string;
  toDeviceId: string;
  mode: TransferModeName;
  files: TransferFileEntity[];
  totalBytes: number;
}

/**
 * A checked `stored` request: the files are named by id only, and become a TransferOffer once
 * the files service has said what each is (StoredFiles).
 */
export interface StoredOfferRequest {
  fromDeviceId: string;
  toDeviceId: string;
  mode: 'stored';
  fileIds: string[];
}

export type ParsedOffer = TransferOffer | StoredOfferRequest;

export function isStoredOfferRequest(offer: ParsedOffer): offer is StoredOfferRequest {
  return offer.mode === 'stored';
}

function invalid(field: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { field, ...details });
}

/** The client's media type when it is a plain `type/subtype`, else application/octet-stream. */
export function cleanMimeType(input: string): string {
  return input.length <= 255 && MIME_TYPE.test(input) ? input.toLowerCase() : FALLBACK_MIME_TYPE;
}

/** One declared file: a name of 1-255 characters without controls, a whole size ≥ 0. */
export function parseTransferFile(file: relayV1.TransferFile, index: number): TransferFileEntity {
  const length = [...file.name].length;
  if (length < 1 || length > MAX_FILE_NAME_LENGTH) {
    throw invalid('files', `Each file name must be 1 to ${MAX_FILE_NAME_LENGTH} characters`, { index });
  }
  if (CONTROL_CHARACTERS.test(file.name)) {
    throw invalid('files', 'A file name must not contain control characters', { index });
  }
  if (!Number.isSafeInteger(file.sizeBytes) || file.sizeBytes < 0) {
    throw invalid('files', 'Each file size must be a whole number of bytes, 0 or more', { index });
  }
  return { name: file.name, sizeBytes: file.sizeBytes, mimeType: cleanMimeType(file.mimeType) };
}

/** The declared files: 1-100 of them, their sizes adding up to an exact number. */
export function parseTransferFiles(files: readonly relayV1.TransferFile[]): {
  files: TransferFileEntity[];
  totalBytes: number;
} {
  if (files.length < 1 || files.length > MAX_FILES_PER_TRANSFER) {
    throw invalid('files', `A transfer carries 1 to ${MAX_FILES_PER_TRANSFER} files`);
  }
  const parsed = files.map(parseTransferFile);
  const totalBytes = parsed.reduce((sum, file) => sum + file.sizeBytes, 0);
  if (!Number.isSafeInteger(totalBytes)) throw invalid('files', 'The files are too large together');
  return { files: parsed, totalBytes };
}

/**
 * The file ids of a stored offer: 1-100 distinct ones. An id that cannot be an id is
 * NOT_FOUND, like one of another account (it is looked up no further).
 */
export function parseStoredFileIds(fileIds: readonly string[]): string[] {
  if (fileIds.length < 1 || fileIds.length > MAX_FILES_PER_TRANSFER) {
    throw invalid('fileIds', `A transfer carries 1 to ${MAX_FILES_PER_TRANSFER} files`);
  }
  const ids = fileIds.map((raw) => parseId(raw));
  const unknown = ids.findIndex((id) => id === null);
  if (unknown >= 0) throw storedFileNotFound(unknown);
  const parsed = ids as string[];
  if (new Set(parsed).size !== parsed.length) throw invalid('fileIds', 'Each file is offered once');
  return parsed;
}

/** One of a stored offer's files is not an active file of the caller (or is no file at all). */
export function storedFileNotFound(index: number): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'File not found', { field: 'fileIds', index });
}

export function parseTransferMode(mode: relayV1.TransferMode): TransferModeName {
  const name = MODES[mode];
  if (!name) throw invalid('mode', 'The transfer mode is required');
  return name;
}

/**
 * Checks a CreateTransfer request. A device id that cannot be an id is NOT_FOUND, like one of
 * another account; the same device on both ends is refused before anything is looked up.
 */
export function parseTransferOffer(request: relayV1.CreateTransferRequest): ParsedOffer {
  const fromDeviceId = parseId(request.fromDeviceId);
  const toDeviceId = parseId(request.toDeviceId);
  if (!fromDeviceId || !toDeviceId) throw deviceNotFound();
  if (fromDeviceId === toDeviceId) {
    throw invalid('toDeviceId', 'A transfer goes from one device to another');
  }
  const mode = parseTransferMode(request.mode);
  const fileIds = request.fileIds ?? [];
  // Each mode takes one way of naming its files, so a request never means two things.
  if (mode === 'stored') {
    if (request.files.length > 0) throw invalid('files', 'A stored transfer names its files by fileIds only');
    return { fromDeviceId, toDeviceId, mode, fileIds: parseStoredFileIds(fileIds) };
  }
  if (fileIds.length > 0) throw invalid('fileIds', 'Only a stored transfer names files by id');
  return { fromDeviceId, toDeviceId, mode, ...parseTransferFiles(request.files) };
}
