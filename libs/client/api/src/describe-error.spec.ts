import { ApiError, apiErrorFromResponse, type ApiErrorCode } from './api-error.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, ENGLISH_ERROR_TEXTS, errorFacts } from './describe-error.js';

const envelope = (code: ApiErrorCode, details: Record<string, unknown> = {}, message = 'server says') => ({
  error: { code, message, details },
});
const response = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) });

describe('apiErrorFromResponse', () => {
  it('takes code, message, details and the retry time from the envelope', () => {
    const error = apiErrorFromResponse(
      response(429),
      envelope('RATE_LIMITED', { limit: 'per-minute', retryAfterSeconds: 41.2 }),
    );
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: 'server says', retryAfterSeconds: 42 });
    expect(error.details).toEqual({ limit: 'per-minute', retryAfterSeconds: 41.2 });
  });

  it('falls back to the Retry-After header', () => {
    const error = apiErrorFromResponse(response(409, { 'Retry-After': '1' }), envelope('REFRESH_IN_PROGRESS'));
    expect(error.retryAfterSeconds).toBe(1);
  });

  it('marks an answer that is no envelope as unexpected', () => {
    const error = apiErrorFromResponse(response(502), '<html>bad gateway</html>');
    expect(error).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE', retryAfterSeconds: null });
  });
});

describe('describeError', () => {
  it('says which traffic allowance ran out and when it resets', () => {
    const error = apiErrorFromResponse(
      response(429),
      envelope('QUOTA_EXCEEDED', {
        quota: 'traffic',
        window: 'day',
        limitBytes: 10_000_000_000,
        retryAfterSeconds: 3 * 3600 + 120,
      }),
    );
    expect(describeError(error)).toBe(
      'Your daily download allowance of 10 GB is used up. It resets in 3 h 2 min (at midnight UTC).',
    );
  });

  it('names the monthly window and the 1st', () => {
    const error = new ApiError(429, 'QUOTA_EXCEEDED', '', { window: 'month' }, 86_400 * 3);
    expect(describeError(error)).toBe(
      'Your monthly download allowance is used up. It resets in 3 days (at midnight UTC on the 1st).',
    );
  });

  it('tells when to retry a rate-limited lookup, and whether lookups are locked', () => {
    expect(describeError(new ApiError(429, 'RATE_LIMITED', '', { limit: 'per-minute' }, 30))).toBe(
      'Too many attempts; try again in 30 s.',
    );
    expect(describeError(new ApiError(429, 'RATE_LIMITED', '', { limit: 'locked' }, 7200))).toBe(
      'Too many wrong codes were tried from here, so lookups are locked; try again in 2 h.',
    );
    expect(describeError(new ApiError(429, 'RATE_LIMITED', ''))).toBe('Too many attempts; try again in a minute.');
  });

  it('gives the largest allowed file and the storage left', () => {
    expect(describeError(new ApiError(413, 'FILE_TOO_LARGE', '', { maxFileBytes: 2_000_000_000 }))).toBe(
      'This file is too large: files may be at most 2 GB.',
    );
    expect(describeError(new ApiError(413, 'STORAGE_QUOTA_EXCEEDED', '', { remainingBytes: 1_500_000 }))).toBe(
      'This file does not fit in your storage: 1.5 MB left. Delete files or wait until some expire.',
    );
  });

  it('has a plain sentence for an unknown code, and for something that is not an ApiError', () => {
    const unknown = new ApiError(418, 'SOMETHING_NEW' as ApiErrorCode, '');
    expect(describeError(unknown)).toBe('The server gave an unexpected answer. Try again.');
    expect(describeError(new TypeError('boom'))).toBe('The server gave an unexpected answer. Try again.');
  });

  it('has a sentence without jargon for every code', () => {
    for (const [code, sentence] of Object.entries(ENGLISH_ERROR_TEXTS)) {
      const text = describeError(new ApiError(400, code as ApiErrorCode, 'detail'));
      expect(text).toBe(sentence({ ...facts(), serverMessage: 'detail' }));
      expect(text).toMatch(/^[A-Z].*\.$/);
      expect(text).not.toMatch(/[A-Z]{2,}_[A-Z]+/);
    }
  });

  it('uses the table it is given (a translation)', () => {
    const texts = { ...ENGLISH_ERROR_TEXTS, PIN_INVALID: () => 'Falsche PIN.' };
    expect(describeError(new ApiError(401, 'PIN_INVALID', ''), texts)).toBe('Falsche PIN.');
  });
});

function facts() {
  return {
    retryIn: null,
    window: null,
    limit: null,
    remaining: null,
    maxFileSize: null,
    lockedOut: false,
    usedUp: true,
  };
}

describe('the texts cover every code the gateway can send', () => {
  // The one list of codes is the server's ErrorCode enum; read as text, since a client library
  // must not import server code (and the enum's module pulls in gRPC).
  const enumSource = readFileSync(join(import.meta.dirname, '../../../server/errors/src/error-code.ts'), 'utf8');
  const enumBody = /export enum ErrorCode \{([\s\S]*?)\n\}/.exec(enumSource)?.[1] ?? '';
  const serverCodes = [...enumBody.matchAll(/^\s*([A-Z_]+) = '([A-Z_]+)',/gm)].map((match) => match[2]!);

  it('reads the enum', () => {
    expect(serverCodes.length).toBeGreaterThan(30);
    expect(serverCodes).toContain('CHALLENGE_REQUIRED');
  });

  it.each(serverCodes)('%s has a sentence of its own', (code) => {
    const sentence = ENGLISH_ERROR_TEXTS[code as ApiErrorCode];
    expect(sentence).toBeDefined();
    expect(describeError(new ApiError(400, code as ApiErrorCode, 'server message'))).not.toBe(
      ENGLISH_ERROR_TEXTS.UNEXPECTED_RESPONSE(errorFacts(new ApiError(0, 'INTERNAL', ''))),
    );
  });
});

describe('quota and storage sentences', () => {
  it('says a download does not fit what is left, with the window, when some is left', () => {
    const error = new ApiError(
      429,
      'QUOTA_EXCEEDED',
      '',
      {
        quota: 'traffic',
        window: 'day',
        limitBytes: 5_000_000_000,
        remainingBytes: 1_200_000_000,
        requestedBytes: 2e9,
      },
      3600,
    );
    expect(describeError(error)).toBe(
      'This download does not fit in what is left of your daily download allowance of 5 GB: 1.2 GB. It resets in 1 h (at midnight UTC).',
    );
  });

  it('says storage is full, or how much is left when a file does not fit', () => {
    expect(describeError(new ApiError(413, 'STORAGE_QUOTA_EXCEEDED', '', { remainingBytes: 0 }))).toBe(
      'Your storage is full. Delete files or wait until some expire.',
    );
    expect(describeError(new ApiError(413, 'STORAGE_QUOTA_EXCEEDED', '', { remainingBytes: 300_000_000 }))).toBe(
      'This file does not fit in your storage: 300 MB left. Delete files or wait until some expire.',
    );
  });
});
