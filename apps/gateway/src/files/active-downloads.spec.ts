import { jest } from '@jest/globals';
import { ActiveDownloads } from './active-downloads.js';

describe('ActiveDownloads', () => {
  it('cuts every running download of one file, and only of that file', () => {
    const active = new ActiveDownloads();
    const cut: string[] = [];
    active.track('a', () => cut.push('a1'));
    active.track('a', () => cut.push('a2'));
    active.track('b', () => cut.push('b1'));

    expect(active.cut('a')).toBe(2);
    expect(cut.sort()).toEqual(['a1', 'a2']);
    expect(active.size).toBe(1);
    expect(active.cut('a')).toBe(0);
  });

  it('forgets a download that ended, so a later removal cuts nothing', () => {
    const active = new ActiveDownloads();
    const cut = jest.fn();
    const untrack = active.track('a', cut);
    untrack();

    expect(active.cut('a')).toBe(0);
    expect(cut).not.toHaveBeenCalled();
    expect(active.size).toBe(0);
  });
});
