import { quotasV1 } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { planReservation, type AccountBalance, type StorageLimits } from './reservation-plan.js';

const { LimitKind } = quotasV1;
const MB = 1_000_000;
const GB = 1_000_000_000;

const anonymous: StorageLimits = { maxFileBytes: 500 * MB, storageBytes: 2 * GB };
const unlimited: StorageLimits = { maxFileBytes: null, storageBytes: null };
const empty: AccountBalance = { usedBytes: 0, reservedBytes: 0 };
const balance = (usedBytes: number, reservedBytes = 0): AccountBalance => ({ usedBytes, reservedBytes });

describe('planReservation with a declared size', () => {
  it('reserves exactly the declared size, limited by the file size when that is tighter', () => {
    expect(planReservation(anonymous, empty, 150 * MB)).toEqual({
      ok: true,
      bytes: 150 * MB,
      limitedBy: LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
    });
  });

  it('names the storage limit when less is left than the largest file', () => {
    expect(planReservation(anonymous, balance(1700 * MB), 100 * MB)).toEqual({
      ok: true,
      bytes: 100 * MB,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
  });

  it('counts reserved bytes as well as used bytes against the storage limit', () => {
    expect(planReservation(anonymous, balance(1000 * MB, 900 * MB), 150 * MB)).toEqual({
      ok: false,
      code: ErrorCode.STORAGE_QUOTA_EXCEEDED,
      details: { remainingBytes: 100 * MB },
    });
  });

  it('accepts a file of exactly the maximum size and refuses one byte more', () => {
    expect(planReservation(anonymous, empty, 500 * MB)).toMatchObject({ ok: true, bytes: 500 * MB });
    expect(planReservation(anonymous, empty, 500 * MB + 1)).toEqual({
      ok: false,
      code: ErrorCode.FILE_TOO_LARGE,
      details: { maxFileBytes: 500 * MB },
    });
  });

  it('accepts exactly the remaining storage and refuses one byte more', () => {
    const nearlyFull = balance(1800 * MB, 100 * MB);
    expect(planReservation(anonymous, nearlyFull, 100 * MB)).toEqual({
      ok: true,
      bytes: 100 * MB,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
    expect(planReservation(anonymous, nearlyFull, 100 * MB + 1)).toEqual({
      ok: false,
      code: ErrorCode.STORAGE_QUOTA_EXCEEDED,
      details: { remainingBytes: 100 * MB },
    });
  });

  it('reports a too large file before a full account', () => {
    expect(planReservation(anonymous, balance(2 * GB), 600 * MB)).toMatchObject({
      ok: false,
      code: ErrorCode.FILE_TOO_LARGE,
    });
  });

  it('allows an empty file while nothing is left, but not when the account is over its limit', () => {
    expect(planReservation(anonymous, balance(2 * GB), 0)).toEqual({
      ok: true,
      bytes: 0,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
    expect(planReservation(anonymous, balance(2 * GB + 1), 0)).toEqual({
      ok: false,
      code: ErrorCode.STORAGE_QUOTA_EXCEEDED,
      details: { remainingBytes: 0 },
    });
  });

  it('reserves the declared size of an unlimited group without naming a limit', () => {
    expect(planReservation(unlimited, balance(10 * GB), 7 * GB)).toEqual({
      ok: true,
      bytes: 7 * GB,
      limitedBy: LimitKind.LIMIT_KIND_UNSPECIFIED,
    });
  });

  it('applies only the limit a group has', () => {
    expect(planReservation({ maxFileBytes: 10, storageBytes: null }, balance(1e12), 10)).toEqual({
      ok: true,
      bytes: 10,
      limitedBy: LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
    });
    expect(planReservation({ maxFileBytes: 10, storageBytes: null }, empty, 11)).toMatchObject({
      code: ErrorCode.FILE_TOO_LARGE,
    });
    expect(planReservation({ maxFileBytes: null, storageBytes: 100 }, balance(40, 20), 40)).toEqual({
      ok: true,
      bytes: 40,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
    expect(planReservation({ maxFileBytes: null, storageBytes: 100 }, balance(40, 20), 41)).toEqual({
      ok: false,
      code: ErrorCode.STORAGE_QUOTA_EXCEEDED,
      details: { remainingBytes: 40 },
    });
  });
});

describe('planReservation without a declared size', () => {
  it('reserves the largest file allowed when storage is plentiful', () => {
    expect(planReservation(anonymous, empty)).toEqual({
      ok: true,
      bytes: 500 * MB,
      limitedBy: LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
    });
  });

  it('reserves what is left of storage when that is less than the largest file', () => {
    expect(planReservation(anonymous, balance(1600 * MB, 250 * MB))).toEqual({
      ok: true,
      bytes: 150 * MB,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
  });

  it('names the file size limit when both limits are equal', () => {
    expect(planReservation(anonymous, balance(1500 * MB))).toEqual({
      ok: true,
      bytes: 500 * MB,
      limitedBy: LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
    });
  });

  it('reserves a single remaining byte', () => {
    expect(planReservation(anonymous, balance(2 * GB - 1))).toEqual({
      ok: true,
      bytes: 1,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
  });

  it('refuses when nothing, or less than nothing, is left', () => {
    const refused = { ok: false, code: ErrorCode.STORAGE_QUOTA_EXCEEDED, details: { remainingBytes: 0 } };
    expect(planReservation(anonymous, balance(1 * GB, 1 * GB))).toEqual(refused);
    expect(planReservation(anonymous, balance(3 * GB))).toEqual(refused);
  });

  it('reserves without a bound for an unlimited group', () => {
    expect(planReservation(unlimited, balance(5e12, 1e12))).toEqual({
      ok: true,
      bytes: null,
      limitedBy: LimitKind.LIMIT_KIND_UNSPECIFIED,
    });
  });

  it('uses the one limit a partly limited group has', () => {
    expect(planReservation({ maxFileBytes: 10, storageBytes: null }, balance(1e12))).toEqual({
      ok: true,
      bytes: 10,
      limitedBy: LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
    });
    expect(planReservation({ maxFileBytes: null, storageBytes: 100 }, balance(30, 50))).toEqual({
      ok: true,
      bytes: 20,
      limitedBy: LimitKind.LIMIT_KIND_STORAGE,
    });
    expect(planReservation({ maxFileBytes: null, storageBytes: 100 }, balance(30, 70))).toMatchObject({
      ok: false,
      code: ErrorCode.STORAGE_QUOTA_EXCEEDED,
    });
  });

  it('treats a zero-byte file limit as a zero-byte reservation', () => {
    expect(planReservation({ maxFileBytes: 0, storageBytes: 100 }, empty)).toEqual({
      ok: true,
      bytes: 0,
      limitedBy: LimitKind.LIMIT_KIND_MAX_FILE_SIZE,
    });
  });
});
