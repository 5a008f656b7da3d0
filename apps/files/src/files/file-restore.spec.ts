import { DomainError, ErrorCode } from '@lexy/server-errors';
import { aFileEntity } from '../../test/support/file-entity.js';
import { REDEMPTION_MS, restoreStanding, unrestoredFile } from './file-restore.js';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('where a file stands for a restore', () => {
  const expired = (expiresAt: Date, purgeAt: Date | null = new Date(expiresAt.getTime() + REDEMPTION_MS)) =>
    aFileEntity({ status: 'expired', expiresAt, purgeAt });

  it('is restorable from its expiry until just before its purge, by the given clock', () => {
    expect(restoreStanding(expired(at(0)), NOW)).toBe('restorable');
    expect(restoreStanding(expired(at(-1), at(1)), NOW)).toBe('restorable');
    // An active row past its retention counts as expired before ExpireDue rewrites it.
    expect(restoreStanding(aFileEntity({ expiresAt: at(-1), purgeAt: at(1) }), NOW)).toBe('restorable');
  });

  it('is past its window from purge_at on, once it is purging, and without purge_at', () => {
    expect(restoreStanding(expired(at(-REDEMPTION_MS), at(0)), NOW)).toBe('past-window');
    expect(restoreStanding(expired(at(-1), null), NOW)).toBe('past-window');
    expect(restoreStanding({ ...expired(at(-1)), status: 'purging' }, NOW)).toBe('past-window');
    expect(restoreStanding(aFileEntity({ status: 'purging', expiresAt: null }), NOW)).toBe('past-window');
  });

  it('has nothing to restore before its expiry or without one', () => {
    expect(restoreStanding(aFileEntity({ expiresAt: at(1), purgeAt: at(1 + REDEMPTION_MS) }), NOW)).toBe('unexpired');
    expect(restoreStanding(aFileEntity({ expiresAt: null }), NOW)).toBe('unexpired');
  });

  it('is missing without a row', () => {
    expect(restoreStanding(null, NOW)).toBe('missing');
  });
});

describe('the answer of a restore that restored nothing', () => {
  const codeOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof DomainError) return [error.code, error.details];
      throw error;
    }
    return 'answered';
  };

  it('is NOT_FOUND without a file, FILE_EXPIRED with its purgeAt past the window, else the file', () => {
    expect(codeOf(() => unrestoredFile(null, 'missing'))).toEqual([ErrorCode.NOT_FOUND, {}]);
    const lapsed = aFileEntity({ status: 'purging', purgeAt: NOW });
    expect(codeOf(() => unrestoredFile(lapsed, 'past-window'))).toEqual([
      ErrorCode.FILE_EXPIRED,
      { purgeAt: NOW.toISOString() },
    ]);
    expect(codeOf(() => unrestoredFile(aFileEntity({ purgeAt: null }), 'past-window'))).toEqual([
      ErrorCode.FILE_EXPIRED,
      {},
    ]);
    const active = aFileEntity();
    expect(unrestoredFile(active, 'unexpired')).toBe(active);
  });
});
