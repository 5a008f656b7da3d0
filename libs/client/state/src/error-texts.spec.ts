import { ApiError, ENGLISH_ERROR_TEXTS, type ApiErrorCode } from '@lexy/client-api';
import { describeErrorLocalized, LOCALIZED_ERROR_TEXTS } from './error-texts';

// The library's English table is checked against the server's ErrorCode enum (client-api's
// describe-error.spec.ts); the app's translatable table must cover the same codes.
describe('LOCALIZED_ERROR_TEXTS', () => {
  it('has a sentence for every code the English table has', () => {
    expect(Object.keys(LOCALIZED_ERROR_TEXTS).sort()).toEqual(Object.keys(ENGLISH_ERROR_TEXTS).sort());
  });

  it.each(Object.keys(ENGLISH_ERROR_TEXTS))('%s reads as a sentence without jargon', (code) => {
    const text = describeErrorLocalized(new ApiError(400, code as ApiErrorCode, 'detail'));
    expect(text).toMatch(/^[A-Z].*\.$/);
    expect(text).not.toMatch(/[A-Z]{2,}_[A-Z]+/);
  });

  it('says which traffic allowance ran out, how large it is, and when it resets', () => {
    const error = new ApiError(
      429,
      'QUOTA_EXCEEDED',
      '',
      { quota: 'traffic', window: 'month', limitBytes: 500e9, remainingBytes: 0 },
      2 * 86_400,
    );
    expect(describeErrorLocalized(error)).toBe(
      'Your monthly download allowance of 500 GB is used up. It resets in 2 days (at midnight UTC on the 1st).',
    );
  });

  it('says when a download does not fit what is left of today’s allowance', () => {
    const error = new ApiError(429, 'QUOTA_EXCEEDED', '', { window: 'day', remainingBytes: 1_200_000_000 }, 3600);
    expect(describeErrorLocalized(error)).toBe(
      'This download does not fit in what is left of your daily download allowance: 1.2 GB. It resets in 1 h (at midnight UTC).',
    );
  });

  it('tells when to retry a rate limit', () => {
    expect(describeErrorLocalized(new ApiError(429, 'RATE_LIMITED', '', {}, 90))).toBe(
      'Too many attempts; try again in 1 min 30 s.',
    );
  });
});
