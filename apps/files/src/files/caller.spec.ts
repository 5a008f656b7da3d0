import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { serviceCaller } from '@lexy/server-grpc';
import { runWithRequestContext } from '@lexy/server-logging';
import { requireOwner } from './caller.js';

const user: commonV1.Caller = { ownerId: 'user-1', group: 'normal', kind: commonV1.IdentityKind.IDENTITY_KIND_USER };

function codeOf(run: () => unknown): ErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('requireOwner', () => {
  const as = (caller: commonV1.Caller | undefined) => () =>
    runWithRequestContext({ requestId: 'unit', ...(caller ? { caller } : {}) }, requireOwner);

  it('is the verified caller of the request context', () => {
    expect(as(user)()).toEqual({ ownerId: 'user-1', group: 'normal' });
  });

  it('is UNAUTHENTICATED without a caller, in or out of a request', () => {
    expect(codeOf(as(undefined))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(codeOf(requireOwner)).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it.each([
    ['an empty owner id', { ...user, ownerId: '' }],
    ['an owner id over 96 characters', { ...user, ownerId: 'x'.repeat(97) }],
    ['an empty group', { ...user, group: '' }],
    ['an unspecified identity kind', { ...user, kind: commonV1.IdentityKind.IDENTITY_KIND_UNSPECIFIED }],
  ])('refuses %s', (_, caller) => {
    expect(codeOf(as(caller))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('is FORBIDDEN to a platform service, which owns no files', () => {
    expect(codeOf(as(serviceCaller('cleanup')))).toBe(ErrorCode.FORBIDDEN);
  });
});
