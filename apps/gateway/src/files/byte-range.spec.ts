import { parseByteRange } from './byte-range.js';

describe('parseByteRange (DL-04)', () => {
  const size = 1000;
  it.each([
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes=-500', { kind: 'partial', start: 500, end: 999 }],
    ['bytes=500-', { kind: 'partial', start: 500, end: 999 }],
    ['bytes=900-5000', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=5-1', { kind: 'unsatisfiable' }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-9', { kind: 'full' }],
    ['items=0-5', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['garbage', { kind: 'full' }],
  ])('%s', (header, expected) => {
    expect(parseByteRange(header, size)).toEqual(expected);
  });

  it('sends everything without a header, and nothing is satisfiable in an empty object', () => {
    expect(parseByteRange(undefined, size)).toEqual({ kind: 'full' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('answers a header of 1,000 ranges without work per range', () => {
    const header = `bytes=${Array.from({ length: 1000 }, (_, i) => `${i}-${i + 10}`).join(',')}`;
    expect(parseByteRange(header, size)).toEqual({ kind: 'full' });
  });
});
