import { describeError, type ErrorFacts, type ErrorTexts } from '@lexy/client-api';

const retry = (f: ErrorFacts, fallback: string) =>
  f.retryIn ? $localize`:@@error.retryIn:try again in ${f.retryIn}:retryIn:` : fallback;
const aMoment = () => $localize`:@@error.retryMoment:try again in a moment`;

// Traffic allowances (QUOTA_EXCEEDED): which window, how large, and whether anything is left.
const quotaUsedUp = (f: ErrorFacts) => {
  if (f.window === 'month') {
    return f.limit
      ? $localize`:@@error.QUOTA_EXCEEDED.monthOf:Your monthly download allowance of ${f.limit}:limit: is used up.`
      : $localize`:@@error.QUOTA_EXCEEDED.month:Your monthly download allowance is used up.`;
  }
  return f.limit
    ? $localize`:@@error.QUOTA_EXCEEDED.dayOf:Your daily download allowance of ${f.limit}:limit: is used up.`
    : $localize`:@@error.QUOTA_EXCEEDED.day:Your daily download allowance is used up.`;
};
const quotaDoesNotFit = (f: ErrorFacts) =>
  f.window === 'month'
    ? $localize`:@@error.QUOTA_EXCEEDED.monthLeft:This download does not fit in what is left of your monthly download allowance: ${f.remaining}:left:.`
    : $localize`:@@error.QUOTA_EXCEEDED.dayLeft:This download does not fit in what is left of your daily download allowance: ${f.remaining}:left:.`;

/** describeError's sentences through Angular i18n, so that translations can be added. */
export const LOCALIZED_ERROR_TEXTS: ErrorTexts = {
  VALIDATION_FAILED: () =>
    $localize`:@@error.VALIDATION_FAILED:Some of what was entered is not valid. Check it and try again.`,
  UNAUTHENTICATED: () => $localize`:@@error.UNAUTHENTICATED:Please sign in to do this.`,
  TOKEN_EXPIRED: () => $localize`:@@error.TOKEN_EXPIRED:Your sign-in has expired. Please sign in again.`,
  INVALID_CREDENTIALS: () => $localize`:@@error.INVALID_CREDENTIALS:The email or password is not right.`,
  REFRESH_TOKEN_REUSED: () =>
    $localize`:@@error.REFRESH_TOKEN_REUSED:For your safety you were signed out everywhere. Please sign in again.`,
  REFRESH_IN_PROGRESS: (f) =>
    $localize`:@@error.REFRESH_IN_PROGRESS:Your session is being renewed in another tab; ${retry(f, aMoment())}:retry:.`,
  FORBIDDEN: () => $localize`:@@error.FORBIDDEN:You are not allowed to do this.`,
  ADMIN_REQUIRED: () => $localize`:@@error.ADMIN_REQUIRED:Only administrators may do this.`,
  ACCOUNT_DISABLED: () =>
    $localize`:@@error.ACCOUNT_DISABLED:This account has been disabled. Contact the administrator.`,
  NOT_FOUND: () => $localize`:@@error.NOT_FOUND:This item does not exist, or it is no longer there.`,
  PICKUP_CODE_NOT_FOUND: () =>
    $localize`:@@error.PICKUP_CODE_NOT_FOUND:No file has this code. Check the code, or ask the sender for a new one.`,
  FILE_EXPIRED: () =>
    $localize`:@@error.FILE_EXPIRED:This file has expired and can no longer be downloaded or restored.`,
  EMAIL_TAKEN: () => $localize`:@@error.EMAIL_TAKEN:An account with this email already exists. Sign in instead.`,
  TRANSFER_STATE_CONFLICT: () =>
    $localize`:@@error.TRANSFER_STATE_CONFLICT:This transfer has already moved on (accepted, rejected or finished).`,
  DEVICE_LIMIT_REACHED: () =>
    $localize`:@@error.DEVICE_LIMIT_REACHED:Your account has as many devices as it may have. Remove one first.`,
  RELAY_FORBIDDEN: () =>
    $localize`:@@error.RELAY_FORBIDDEN:Sending to your devices needs an account. Sign in or create one.`,
  TRANSFER_SIZE_MISMATCH: () =>
    $localize`:@@error.TRANSFER_SIZE_MISMATCH:The transfer sent a different amount of data than announced and was stopped.`,
  PEER_GONE: () => $localize`:@@error.PEER_GONE:The other device went away during the transfer.`,
  FILE_TOO_LARGE: (f) =>
    f.maxFileSize
      ? $localize`:@@error.FILE_TOO_LARGE.max:This file is too large: files may be at most ${f.maxFileSize}:max:.`
      : $localize`:@@error.FILE_TOO_LARGE:This file is too large.`,
  STORAGE_QUOTA_EXCEEDED: (f) =>
    f.usedUp
      ? $localize`:@@error.STORAGE_QUOTA_EXCEEDED:Your storage is full. Delete files or wait until some expire.`
      : $localize`:@@error.STORAGE_QUOTA_EXCEEDED.left:This file does not fit in your storage: ${f.remaining}:left: left. Delete files or wait until some expire.`,
  PAYLOAD_TOO_LARGE: () => $localize`:@@error.PAYLOAD_TOO_LARGE:The request was too large.`,
  QUOTA_EXCEEDED: (f) => {
    const what = f.usedUp ? quotaUsedUp(f) : quotaDoesNotFit(f);
    if (!f.retryIn) return what;
    const reset =
      f.window === 'month'
        ? $localize`:@@error.QUOTA_EXCEEDED.resetMonth:It resets in ${f.retryIn}:retryIn: (at midnight UTC on the 1st).`
        : $localize`:@@error.QUOTA_EXCEEDED.resetDay:It resets in ${f.retryIn}:retryIn: (at midnight UTC).`;
    return `${what} ${reset}`;
  },
  RATE_LIMITED: (f) =>
    f.lockedOut
      ? $localize`:@@error.RATE_LIMITED.locked:Too many wrong codes were tried from here, so lookups are locked; ${retry(f, $localize`:@@error.retryLater:try again later`)}:retry:.`
      : $localize`:@@error.RATE_LIMITED:Too many attempts; ${retry(f, $localize`:@@error.retryMinute:try again in a minute`)}:retry:.`,
  CHALLENGE_REQUIRED: () =>
    $localize`:@@error.CHALLENGE_REQUIRED:The service is under heavy load; a quick check in your browser is needed. Try again.`,
  PIN_REQUIRED: () => $localize`:@@error.PIN_REQUIRED:This file is protected by a PIN. Enter the PIN.`,
  PIN_INVALID: () => $localize`:@@error.PIN_INVALID:The PIN is not right.`,
  PIN_LOCKED: () =>
    $localize`:@@error.PIN_LOCKED:Too many wrong PINs were tried for this file. Only its owner can unlock it again.`,
  SESSION_REVOKED: () => $localize`:@@error.SESSION_REVOKED:Your session has ended. Please sign in again.`,
  UPLOAD_EXPIRED: () => $localize`:@@error.UPLOAD_EXPIRED:This upload took too long and has expired. Start it again.`,
  CHECKSUM_MISMATCH: () => $localize`:@@error.CHECKSUM_MISMATCH:The file was damaged on the way. Send it again.`,
  UPLOAD_OFFSET_MISMATCH: () =>
    $localize`:@@error.UPLOAD_OFFSET_MISMATCH:The upload got out of step; it continues from where the server is.`,
  UPLOAD_BLOCKED: () =>
    $localize`:@@error.UPLOAD_BLOCKED:This file was taken down by an administrator and cannot be shared here again.`,
  UPLOAD_LOCKED: (f) =>
    $localize`:@@error.UPLOAD_LOCKED:This upload is still busy on the server; ${retry(f, aMoment())}:retry:.`,
  UNSUPPORTED_MEDIA_TYPE: () => $localize`:@@error.UNSUPPORTED_MEDIA_TYPE:This kind of data cannot be sent here.`,
  TUS_VERSION_UNSUPPORTED: () =>
    $localize`:@@error.TUS_VERSION_UNSUPPORTED:This app is too old for the server. Reload the page.`,
  RANGE_NOT_SATISFIABLE: () => $localize`:@@error.RANGE_NOT_SATISFIABLE:That part of the file does not exist.`,
  CODE_SPACE_EXHAUSTED: () =>
    $localize`:@@error.CODE_SPACE_EXHAUSTED:No free pickup code could be found right now. Try again in a few minutes.`,
  SERVICE_UNAVAILABLE: (f) =>
    $localize`:@@error.SERVICE_UNAVAILABLE:The service is unavailable right now; ${retry(f, aMoment())}:retry:.`,
  INTERNAL: () => $localize`:@@error.INTERNAL:Something went wrong on the server. Try again.`,
  NETWORK_ERROR: () =>
    $localize`:@@error.NETWORK_ERROR:The server cannot be reached. Check your connection and try again.`,
  UNEXPECTED_RESPONSE: () => $localize`:@@error.UNEXPECTED_RESPONSE:The server gave an unexpected answer. Try again.`,
};

export function describeErrorLocalized(error: unknown): string {
  return describeError(error, LOCALIZED_ERROR_TEXTS);
}
