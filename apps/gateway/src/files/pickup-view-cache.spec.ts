import type { PickupFileView } from './file.views.js';
import { PickupViewCache, type ResolvedOpenFile } from './pickup-view-cache.js';

const T0 = 1_800_000_000_000;
const view: PickupFileView = { name: 'a.txt', size: 3, mimeType: 'text/plain', expiresAt: null };
const open = (fileId: string, expiresAtMs: number | null = null): ResolvedOpenFile => ({ fileId, view, expiresAtMs });

describe('PickupViewCache', () => {
  let now: number;
  let cache: PickupViewCache;

  beforeEach(() => {
    now = T0;
    cache = new PickupViewCache(10_000, 3, () => now);
    cache.setListening(true);
  });

  it('remembers an answer for its time to live, no longer', () => {
    cache.store('ABC123', open('f1'), cache.begin());
    now += 9_999;
    expect(cache.get('ABC123')).toBe(view);
    now += 1;
    expect(cache.get('ABC123')).toBeUndefined();
  });

  it('stops answering at the end of the file’s retention, however long it may be kept', () => {
    cache.store('ABC123', open('f1', T0 + 500), cache.begin());
    now = T0 + 499;
    expect(cache.get('ABC123')).toBe(view);
    now = T0 + 500;
    expect(cache.get('ABC123')).toBeUndefined();
  });

  it('forgets a changed file under every spelling of its code, and only that file', () => {
    cache.store('ABC123', open('f1'), cache.begin());
    cache.store('abc-123', open('f1'), cache.begin());
    cache.store('XYZ789', open('f2'), cache.begin());
    cache.invalidate('f1');
    expect(cache.get('ABC123')).toBeUndefined();
    expect(cache.get('abc-123')).toBeUndefined();
    expect(cache.get('XYZ789')).toBe(view);
  });

  it('does not keep an answer read before a change that arrived while it was in flight', () => {
    const began = cache.begin();
    cache.invalidate('f1'); // announced while the files service was answering
    cache.store('ABC123', open('f1'), began);
    expect(cache.get('ABC123')).toBeUndefined();
    // A lookup that begins after the change is kept.
    cache.store('ABC123', open('f1'), cache.begin());
    expect(cache.get('ABC123')).toBe(view);
  });

  it('keeps nothing while announcements are not received, and forgets all when they stop or resume', () => {
    cache.store('ABC123', open('f1'), cache.begin());
    cache.setListening(false);
    expect(cache.get('ABC123')).toBeUndefined();
    cache.store('ABC123', open('f1'), cache.begin());
    expect(cache.get('ABC123')).toBeUndefined();

    const began = cache.begin();
    cache.setListening(true);
    cache.store('ABC123', open('f1'), began); // began while deaf: may have missed a change
    expect(cache.get('ABC123')).toBeUndefined();
  });

  it('holds at most its capacity, dropping the oldest', () => {
    for (const code of ['C1', 'C2', 'C3', 'C4']) cache.store(code, open(code), cache.begin());
    expect(cache.get('C1')).toBeUndefined();
    expect(['C2', 'C3', 'C4'].map((code) => cache.get(code))).toEqual([view, view, view]);
  });

  it('remembers nothing with a time to live of 0', () => {
    const off = new PickupViewCache(0, 3, () => now);
    off.setListening(true);
    off.store('ABC123', open('f1'), off.begin());
    expect(off.get('ABC123')).toBeUndefined();
  });
});
