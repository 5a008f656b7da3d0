import { DomainError, ErrorCode } from '@lexy/server-errors';

// A foreign id answers exactly like one that does not exist (relay.proto), with one message
// per kind of thing, so neither the code nor the text tells them apart.

export function deviceNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'Device not found');
}

export function transferNotFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'Transfer not found');
}
