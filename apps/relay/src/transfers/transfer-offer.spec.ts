import { relayV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  cleanMimeType,
  FALLBACK_MIME_TYPE,
  parseTransferFile,
  parseTransferFiles,
  parseTransferMode,
  parseStoredFileIds,
  parseTransferOffer,
} from './transfer-offer.js';

const FROM = '0190f4a2-0000-7000-8000-00000000000a';
const TO = '0190f4a2-0000-7000-8000-00000000000b';
const file = (overrides: Partial<relayV1.TransferFile> = {}): relayV1.TransferFile => ({
  name: 'photo.jpg',
  sizeBytes: 1024,
  mimeType: 'image/jpeg',
  ...overrides,
});
const request = (overrides: Partial<relayV1.CreateTransferRequest> = {}): relayV1.CreateTransferRequest => ({
  fromDeviceId: FROM,
  toDeviceId: TO,
  files: [file()],
  mode: relayV1.TransferMode.TRANSFER_MODE_RELAY,
  fileIds: [],
  ...overrides,
});
const FILE_A = '0190f4a2-0000-7000-8000-0000000000f1';
const FILE_B = '0190f4a2-0000-7000-8000-0000000000f2';
const stored = (fileIds: string[], overrides: Partial<relayV1.CreateTransferRequest> = {}) =>
  request({ mode: relayV1.TransferMode.TRANSFER_MODE_STORED, files: [], fileIds, ...overrides });

function failure(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parseTransferFile', () => {
  it.each([
    ['a one-character name', file({ name: 'a' })],
    ['a 255-character name', file({ name: 'n'.repeat(255) })],
    ['255 emoji', file({ name: '😀'.repeat(255) })],
    ['an empty file', file({ sizeBytes: 0 })],
    ['a file of 2^53 - 1 bytes', file({ sizeBytes: Number.MAX_SAFE_INTEGER })],
  ])('accepts %s', (_, input) => {
    expect(parseTransferFile(input, 0)).toEqual({ ...input, mimeType: 'image/jpeg' });
  });

  it.each([
    ['an empty name', file({ name: '' })],
    ['a 256-character name', file({ name: 'n'.repeat(256) })],
    ['a control character in the name', file({ name: 'a\u0000.jpg' })],
    ['a bidi override in the name', file({ name: '\u202Egpj.exe' })],
    ['a negative size', file({ sizeBytes: -1 })],
    ['a fractional size', file({ sizeBytes: 1.5 })],
    ['an unsafe size', file({ sizeBytes: 2 ** 53 })],
    ['a size that is not a number', file({ sizeBytes: Number.NaN })],
  ])('refuses %s, naming the file', (_, input) => {
    const error = failure(() => parseTransferFile(input, 3));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual({ field: 'files', index: 3 });
  });
});

describe('cleanMimeType', () => {
  it.each([
    ['image/png', 'image/png'],
    ['Image/PNG', 'image/png'],
    ['', FALLBACK_MIME_TYPE],
    ['text', FALLBACK_MIME_TYPE],
    ['text/plain; charset=utf-8', FALLBACK_MIME_TYPE],
    ['text/plain\r\nX-Injected: 1', FALLBACK_MIME_TYPE],
    [`application/${'x'.repeat(300)}`, FALLBACK_MIME_TYPE],
  ])('%j → %j', (input, expected) => {
    expect(cleanMimeType(input)).toBe(expected);
  });

  it('defaults a file without a type to application/octet-stream', () => {
    expect(parseTransferFile(file({ mimeType: '' }), 0).mimeType).toBe('application/octet-stream');
  });
});

describe('parseTransferFiles', () => {
  it('takes 1 to 100 files and sums their sizes', () => {
    expect(parseTransferFiles([file({ sizeBytes: 5 }), file({ sizeBytes: 7 })]).totalBytes).toBe(12);
    expect(parseTransferFiles(Array.from({ length: 100 }, () => file())).files).toHaveLength(100);
  });

  it.each([
    ['no file', []],
    ['101 files', Array.from({ length: 101 }, () => file())],
    ['sizes that add up past 2^53', [file({ sizeBytes: Number.MAX_SAFE_INTEGER }), file({ sizeBytes: 1 })]],
  ])('refuses %s', (_, files) => {
    expect(failure(() => parseTransferFiles(files)).details).toMatchObject({ field: 'files' });
  });
});

describe('parseTransferMode', () => {
  it('maps relay, p2p and stored', () => {
    expect(parseTransferMode(relayV1.TransferMode.TRANSFER_MODE_RELAY)).toBe('relay');
    expect(parseTransferMode(relayV1.TransferMode.TRANSFER_MODE_P2P)).toBe('p2p');
    expect(parseTransferMode(relayV1.TransferMode.TRANSFER_MODE_STORED)).toBe('stored');
  });

  it.each([relayV1.TransferMode.TRANSFER_MODE_UNSPECIFIED, relayV1.TransferMode.UNRECOGNIZED, 9])(
    'refuses %d',
    (mode) => {
      expect(failure(() => parseTransferMode(mode)).details).toEqual({ field: 'mode' });
    },
  );
});

describe('parseTransferOffer', () => {
  it('checks the whole request and lower-cases the device ids', () => {
    expect(parseTransferOffer(request({ fromDeviceId: FROM.toUpperCase() }))).toEqual({
      fromDeviceId: FROM,
      toDeviceId: TO,
      mode: 'relay',
      files: [{ name: 'photo.jpg', sizeBytes: 1024, mimeType: 'image/jpeg' }],
      totalBytes: 1024,
    });
  });

  it('answers NOT_FOUND for a device id that cannot be one', () => {
    expect(failure(() => parseTransferOffer(request({ toDeviceId: 'nope' }))).code).toBe(ErrorCode.NOT_FOUND);
    expect(failure(() => parseTransferOffer(request({ fromDeviceId: '' }))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('takes a stored offer by file ids, lower-cased, with no declared files', () => {
    expect(parseTransferOffer(stored([FILE_A.toUpperCase(), FILE_B]))).toEqual({
      fromDeviceId: FROM,
      toDeviceId: TO,
      mode: 'stored',
      fileIds: [FILE_A, FILE_B],
    });
  });

  it('refuses a stored offer that also declares files', () => {
    const error = failure(() => parseTransferOffer(stored([FILE_A], { files: [file()] })));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual({ field: 'files' });
  });

  it('refuses file ids on a relay or p2p offer', () => {
    for (const mode of [relayV1.TransferMode.TRANSFER_MODE_RELAY, relayV1.TransferMode.TRANSFER_MODE_P2P]) {
      const error = failure(() => parseTransferOffer(request({ mode, fileIds: [FILE_A] })));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(error.details).toEqual({ field: 'fileIds' });
    }
  });

  it('refuses the same device on both ends', () => {
    const error = failure(() => parseTransferOffer(request({ toDeviceId: FROM.toUpperCase() })));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual({ field: 'toDeviceId' });
  });
});

describe('parseStoredFileIds', () => {
  it('takes 1 to 100 distinct ids', () => {
    expect(parseStoredFileIds([FILE_A])).toEqual([FILE_A]);
    const hundred = Array.from({ length: 100 }, (_, i) => `0190f4a2-0000-7000-8000-${String(i).padStart(12, '0')}`);
    expect(parseStoredFileIds(hundred)).toHaveLength(100);
  });

  it.each([
    ['no id', []],
    ['101 ids', Array.from({ length: 101 }, (_, i) => `0190f4a2-0000-7000-8000-${String(i).padStart(12, '0')}`)],
    ['the same file twice (in any case)', [FILE_A, FILE_A.toUpperCase()]],
  ])('refuses %s', (_, ids) => {
    const error = failure(() => parseStoredFileIds(ids));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.details).toMatchObject({ field: 'fileIds' });
  });

  it('answers NOT_FOUND, naming it, for an id that cannot be a file id', () => {
    const error = failure(() => parseStoredFileIds([FILE_A, '../etc/passwd']));
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.details).toEqual({ field: 'fileIds', index: 1 });
  });
});
