import { commonV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { serviceCaller } from '@lexy/server-grpc';
import { runWithRequestContext } from '@lexy/server-logging';
import { requireAccount } from './account.js';

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

describe('requireAccount', () => {
  const as = (caller: commonV1.Caller | undefined) => () =>
    runWithRequestContext({ requestId: 'unit', ...(caller ? { caller } : {}) }, requireAccount);

  it.each(['normal', 'vip', 'admin'])('is the owner of a registered user of group %s', (group) => {
    expect(as({ ...user, group })()).toEqual({ ownerId: 'user-1' });
  });

  it('is UNAUTHENTICATED without a caller, in or out of a request', () => {
    expect(codeOf(as(undefined))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(codeOf(requireAccount)).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it.each([
    ['a guest (the anonymous group)', { ...user, group: 'anonymous' }],
    ['an address identity', { ...user, kind: commonV1.IdentityKind.IDENTITY_KIND_ADDRESS }],
    ['a fingerprint identity', { ...user, kind: commonV1.IdentityKind.IDENTITY_KIND_FINGERPRINT }],
    ['an unspecified identity kind', { ...user, kind: commonV1.IdentityKind.IDENTITY_KIND_UNSPECIFIED }],
    ['a platform service', serviceCaller('cleanup')],
  ])('is RELAY_FORBIDDEN to %s', (_, caller) => {
    expect(codeOf(as(caller))).toBe(ErrorCode.RELAY_FORBIDDEN);
  });

  it.each([
    ['an empty owner id', { ...user, ownerId: '' }],
    ['an owner id over 96 characters', { ...user, ownerId: 'x'.repeat(97) }],
    ['an empty group', { ...user, group: '' }],
  ])('refuses %s', (_, caller) => {
    expect(codeOf(as(caller))).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
