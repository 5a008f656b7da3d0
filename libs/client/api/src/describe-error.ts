import { ApiError, type ApiErrorCode, type ClientErrorCode } from './api-error.js';
import { formatBytes, formatDuration } from './format.js';

/** What an error's envelope tells beyond its code, already put into words a sentence can use. */
export interface ErrorFacts {
  /** "45 s", "2 h" — how long until a retry can succeed, when the answer said. */
  retryIn: string | null;
  /** The traffic window that ran out: "day" or "month". */
  window: 'day' | 'month' | null;
  /** The allowance that ran out ("10 GB"), and what is left of it ("1.2 GB"). */
  limit: string | null;
  remaining: string | null;
  /** Whether nothing is left of that allowance (remainingBytes 0 or not said): "used up", else "does not fit". */
  usedUp: boolean;
  /** The largest file the caller's group may upload ("2 GB"). */
  maxFileSize: string | null;
  /** RATE_LIMITED on pickups: "locked" after many failures in an hour, else the per-minute limit. */
  lockedOut: boolean;
  /** The server's own message, for codes whose sentence adds it. */
  serverMessage: string;
}

/** One sentence per code; an app supplies its translated table, the default is English. */
export type ErrorTexts = Record<ApiErrorCode | ClientErrorCode, (facts: ErrorFacts) => string>;

const retry = (facts: ErrorFacts, fallback: string) => (facts.retryIn ? `try again in ${facts.retryIn}` : fallback);

export const ENGLISH_ERROR_TEXTS: ErrorTexts = {
  VALIDATION_FAILED: () => 'Some of what was entered is not valid. Check it and try again.',
  UNAUTHENTICATED: () => 'Please sign in to do this.',
  TOKEN_EXPIRED: () => 'Your sign-in has expired. Please sign in again.',
  INVALID_CREDENTIALS: () => 'The email or password is not right.',
  REFRESH_TOKEN_REUSED: () => 'For your safety you were signed out everywhere. Please sign in again.',
  REFRESH_IN_PROGRESS: (f) => `Your session is being renewed in another tab; ${retry(f, 'try again in a moment')}.`,
  FORBIDDEN: () => 'You are not allowed to do this.',
  ADMIN_REQUIRED: () => 'Only administrators may do this.',
  ACCOUNT_DISABLED: () => 'This account has been disabled. Contact the administrator.',
  NOT_FOUND: () => 'This item does not exist, or it is no longer there.',
  PICKUP_CODE_NOT_FOUND: () => 'No file has this code. Check the code, or ask the sender for a new one.',
  FILE_EXPIRED: () => 'This file has expired and can no longer be downloaded or restored.',
  EMAIL_TAKEN: () => 'An account with this email already exists. Sign in instead.',
  TRANSFER_STATE_CONFLICT: () => 'This transfer has already moved on (accepted, rejected or finished).',
  DEVICE_LIMIT_REACHED: () => 'Your account has as many devices as it may have. Remove one first.',
  RELAY_FORBIDDEN: () => 'Sending to your devices needs an account. Sign in or create one.',
  TRANSFER_SIZE_MISMATCH: () => 'The transfer sent a different amount of data than announced and was stopped.',
  PEER_GONE: () => 'The other device went away during the transfer.',
  FILE_TOO_LARGE: (f) =>
    f.maxFileSize ? `This file is too large: files may be at most ${f.maxFileSize}.` : 'This file is too large.',
  STORAGE_QUOTA_EXCEEDED: (f) =>
    f.usedUp
      ? 'Your storage is full. Delete files or wait until some expire.'
      : `This file does not fit in your storage: ${f.remaining} left. Delete files or wait until some expire.`,
  PAYLOAD_TOO_LARGE: () => 'The request was too large.',
  QUOTA_EXCEEDED: (f) => {
    const window = f.window === 'month' ? 'monthly' : 'daily';
    const limit = f.limit ? ` of ${f.limit}` : '';
    const what = f.usedUp
      ? `Your ${window} download allowance${limit} is used up.`
      : `This download does not fit in what is left of your ${window} download allowance${limit}: ${f.remaining}.`;
    const reset = f.retryIn
      ? ` It resets in ${f.retryIn} (at midnight UTC${f.window === 'month' ? ' on the 1st' : ''}).`
      : '';
    return `${what}${reset}`;
  },
  RATE_LIMITED: (f) =>
    f.lockedOut
      ? `Too many wrong codes were tried from here, so lookups are locked; ${retry(f, 'try again later')}.`
      : `Too many attempts; ${retry(f, 'try again in a minute')}.`,
  CHALLENGE_REQUIRED: () => 'The service is under heavy load; a quick check in your browser is needed. Try again.',
  PIN_REQUIRED: () => 'This file is protected by a PIN. Enter the PIN.',
  PIN_INVALID: () => 'The PIN is not right.',
  PIN_LOCKED: () => 'Too many wrong PINs were tried for this file. Only its owner can unlock it again.',
  SESSION_REVOKED: () => 'Your session has ended. Please sign in again.',
  UPLOAD_EXPIRED: () => 'This upload took too long and has expired. Start it again.',
  CHECKSUM_MISMATCH: () => 'The file was damaged on the way. Send it again.',
  UPLOAD_OFFSET_MISMATCH: () => 'The upload got out of step; it continues from where the server is.',
  UPLOAD_BLOCKED: () => 'This file was taken down by an administrator and cannot be shared here again.',
  UPLOAD_LOCKED: (f) => `This upload is still busy on the server; ${retry(f, 'try again in a moment')}.`,
  UNSUPPORTED_MEDIA_TYPE: () => 'This kind of data cannot be sent here.',
  TUS_VERSION_UNSUPPORTED: () => 'This app is too old for the server. Reload the page.',
  RANGE_NOT_SATISFIABLE: () => 'That part of the file does not exist.',
  CODE_SPACE_EXHAUSTED: () => 'No free pickup code could be found right now. Try again in a few minutes.',
  SERVICE_UNAVAILABLE: (f) => `The service is unavailable right now; ${retry(f, 'try again in a moment')}.`,
  INTERNAL: () => 'Something went wrong on the server. Try again.',
  NETWORK_ERROR: () => 'The server cannot be reached. Check your connection and try again.',
  UNEXPECTED_RESPONSE: () => 'The server gave an unexpected answer. Try again.',
};

const stringDetail = (details: Record<string, unknown>, key: string) =>
  typeof details[key] === 'string' ? (details[key] as string) : null;
const bytesDetail = (details: Record<string, unknown>, key: string) =>
  typeof details[key] === 'number' ? formatBytes(details[key] as number) : null;

export function errorFacts(error: ApiError): ErrorFacts {
  const { details } = error;
  const window = stringDetail(details, 'window');
  return {
    retryIn: error.retryAfterSeconds === null ? null : formatDuration(error.retryAfterSeconds),
    window: window === 'day' || window === 'month' ? window : null,
    limit: bytesDetail(details, 'limitBytes'),
    remaining: bytesDetail(details, 'remainingBytes'),
    usedUp: !(typeof details['remainingBytes'] === 'number' && details['remainingBytes'] > 0),
    maxFileSize: bytesDetail(details, 'maxFileBytes'),
    lockedOut: details['limit'] === 'locked',
    serverMessage: error.message,
  };
}

/** Any error of an API call in plain words: which limit, when it resets, when to retry. */
export function describeError(error: unknown, texts: ErrorTexts = ENGLISH_ERROR_TEXTS): string {
  if (!(error instanceof ApiError)) return texts.UNEXPECTED_RESPONSE(errorFacts(new ApiError(0, 'INTERNAL', '')));
  const sentence = texts[error.code] ?? texts.UNEXPECTED_RESPONSE;
  return sentence(errorFacts(error));
}
