import { DomainError, ErrorCode } from '@lexy/server-errors';

export const MIN_PIN_DIGITS = 6;
export const MAX_PIN_DIGITS = 12;
const PIN_FORMAT = new RegExp(`^\\d{${MIN_PIN_DIGITS},${MAX_PIN_DIGITS}}$`);

export function isWellFormedPin(pin: string): boolean {
  return PIN_FORMAT.test(pin);
}

/** An upload's PIN, checked before it is hashed: 6 to 12 digits. */
export function requireWellFormedPin(pin: string): string {
  if (!isWellFormedPin(pin)) {
    throw new DomainError(
      ErrorCode.VALIDATION_FAILED,
      `The PIN must be ${MIN_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits`,
      {
        field: 'pin',
      },
    );
  }
  return pin;
}
