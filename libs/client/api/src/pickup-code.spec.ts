import { groupPickupCode, normalizePickupCode, parseShareUrl } from './pickup-code.js';

describe('normalizePickupCode', () => {
  it.each([
    ['abc123', 'ABC123'],
    [' ab-c 12 3 ', 'ABC123'],
    ['7k3-m9q', '7K3M9Q'],
    ['O0ILl1', '001111'],
  ])('reads %p as %p', (input, code) => {
    expect(normalizePickupCode(input)).toBe(code);
  });

  it.each(['', 'ABC12', 'ABC1234', 'ABCU23', 'AB?123'])('refuses %p', (input) => {
    expect(normalizePickupCode(input)).toBeNull();
  });
});

describe('groupPickupCode', () => {
  it('splits six characters into two groups of three', () => {
    expect(groupPickupCode('ABC123')).toBe('ABC 123');
  });
});

describe('parseShareUrl', () => {
  it('finds the code and the token of a share link', () => {
    expect(parseShareUrl('http://localhost:8080/p/7K3M9Q?t=q1w2e3')).toEqual({ code: '7K3M9Q', token: 'q1w2e3' });
    expect(parseShareUrl('https://x.example/files/p/7k3m9q')).toEqual({ code: '7K3M9Q', token: null });
  });

  it('refuses anything else', () => {
    expect(parseShareUrl('not a url')).toBeNull();
    expect(parseShareUrl('http://localhost:8080/pickup')).toBeNull();
  });
});
