import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CROCKFORD_ALPHABET,
  DEFAULT_CODE_SPACE,
  generatePickupCode,
  normalizePickupCode,
  type RandomIndex,
} from './pickup-code.js';

// χ² critical value for 31 degrees of freedom at p = 0.001.
const CHI_SQUARE_CRITICAL_31_DF = 61.098;

/** χ² statistic of each code position's character counts against a uniform distribution. */
function chiSquarePerPosition(codes: string[], alphabet: string, length: number): number[] {
  return Array.from({ length }, (_, position) => {
    const counts = new Map<string, number>([...alphabet].map((c) => [c, 0]));
    for (const code of codes) counts.set(code[position]!, (counts.get(code[position]!) ?? 0) + 1);
    const expected = codes.length / alphabet.length;
    return [...counts.values()].reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
  });
}

describe('generatePickupCode', () => {
  it('makes 6 characters of Crockford base32', () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    for (const excluded of 'ILOU') expect(CROCKFORD_ALPHABET).not.toContain(excluded);
    for (let i = 0; i < 10_000; i += 1) expect(generatePickupCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
  });

  it('is uniform at every position (χ², 200k codes, p > 0.001)', () => {
    const codes = Array.from({ length: 200_000 }, () => generatePickupCode());
    const statistics = chiSquarePerPosition(codes, CROCKFORD_ALPHABET, 6);
    for (const statistic of statistics) expect(statistic).toBeLessThan(CHI_SQUARE_CRITICAL_31_DF);
  });

  it('the uniformity check does catch a biased source', () => {
    // Like `byte % 30` mapped onto 32 symbols: the low indexes come up twice as often.
    let counter = 0;
    const biased: RandomIndex = (max) => {
      counter += 1;
      return counter % 5 === 0 ? counter % 4 : counter % max;
    };
    const codes = Array.from({ length: 20_000 }, () => generatePickupCode(DEFAULT_CODE_SPACE, biased));
    expect(Math.max(...chiSquarePerPosition(codes, CROCKFORD_ALPHABET, 6))).toBeGreaterThan(CHI_SQUARE_CRITICAL_31_DF);
  });

  it('honours another code space', () => {
    const space = { alphabet: 'AB', length: 1 };
    const seen = new Set(Array.from({ length: 200 }, () => generatePickupCode(space)));
    expect([...seen].sort()).toEqual(['A', 'B']);
  });

  it('no source file of the service uses Math.random', () => {
    const forbidden = ['Math', 'random'].join('.');
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) sources.push(path);
      }
    };
    walk(join(import.meta.dirname, '..'));
    expect(sources.length).toBeGreaterThan(5);
    for (const path of sources) expect(readFileSync(path, 'utf8')).not.toContain(forbidden);
  });
});

describe('normalizePickupCode', () => {
  it.each([
    ['abc-12 3', 'ABC123'],
    ['ABC123', 'ABC123'],
    ['  ab-c1-23  ', 'ABC123'],
    ['o00000', '000000'],
    ['OOOOOO', '000000'],
    ['i11111', '111111'],
    ['l11111', '111111'],
    ['IiLl11', '111111'],
    ['zzzzzz', 'ZZZZZZ'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePickupCode(input)).toBe(expected);
  });

  it.each([
    ['U', 'a letter outside the alphabet'],
    ['ABCDEU', 'U inside a code'],
    ['ABC12', 'too short'],
    ['ABC1234', 'too long'],
    ['', 'empty'],
    ['--- ---', 'only separators'],
    ['ABC_12', 'another separator'],
    ['ABC\t123', 'a tab'],
    ['ABC12ß', 'non-ASCII that upper-cases into letters'],
    ['ABC12ı', 'a dotless i'],
    ['ＡBC123', 'a full-width letter'],
    ['ABC123'.repeat(20), 'absurdly long'],
  ])('rejects %j (%s)', (input) => {
    expect(normalizePickupCode(input)).toBeNull();
  });

  it('maps lookalikes only onto characters of the code space', () => {
    expect(normalizePickupCode('o', { alphabet: '01', length: 1 })).toBe('0');
    expect(normalizePickupCode('o', { alphabet: 'AB', length: 1 })).toBeNull();
    expect(normalizePickupCode('b', { alphabet: 'AB', length: 1 })).toBe('B');
  });

  it('every generated code normalizes to itself, also typed in lower case with dashes', () => {
    for (let i = 0; i < 1_000; i += 1) {
      const code = generatePickupCode();
      expect(normalizePickupCode(code)).toBe(code);
      expect(normalizePickupCode(`${code.slice(0, 3)}-${code.slice(3)}`.toLowerCase())).toBe(code);
    }
  });
});
