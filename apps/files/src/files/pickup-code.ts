import { randomInt } from 'node:crypto';

/** The characters and length pickup codes are made of. */
export interface PickupCodeSpace {
  alphabet: string;
  length: number;
}

/** Crockford base32: digits and A–Z without I, L, O and U, so codes survive being read aloud. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 6 characters of Crockford base32: 30 bits, short enough to type from a phone screen. */
export const DEFAULT_CODE_SPACE: PickupCodeSpace = { alphabet: CROCKFORD_ALPHABET, length: 6 };

/** Draws an integer in [0, max); crypto.randomInt by default, replaceable only to test the statistics. */
export type RandomIndex = (max: number) => number;

const cryptoIndex: RandomIndex = (max) => randomInt(0, max);

/**
 * A fresh code. Each character is drawn with crypto.randomInt, which rejects biased
 * samples itself; `byte % n` would favour the first characters of any alphabet whose
 * size does not divide 256.
 */
export function generatePickupCode(
  space: PickupCodeSpace = DEFAULT_CODE_SPACE,
  draw: RandomIndex = cryptoIndex,
): string {
  let code = '';
  for (let i = 0; i < space.length; i += 1) code += space.alphabet[draw(space.alphabet.length)];
  return code;
}

// Characters people type for the ones Crockford base32 leaves out.
const LOOKALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

// Far longer than any code with separators; longer input is refused before any work.
const MAX_INPUT_LENGTH = 64;

/**
 * The canonical form of a code as a person typed it: upper case, without spaces and
 * dashes, with O read as 0 and I/L as 1. Anything else outside the alphabet, or the
 * wrong length, gives null.
 */
export function normalizePickupCode(input: string, space: PickupCodeSpace = DEFAULT_CODE_SPACE): string | null {
  // Only printable ASCII: toUpperCase would turn 'ß' into 'SS' and 'ı' into 'I'.
  if (input.length > MAX_INPUT_LENGTH || !/^[\x20-\x7e]*$/.test(input)) return null;
  let normalized = '';
  for (const character of input.toUpperCase()) {
    if (character === ' ' || character === '-') continue;
    const mapped = space.alphabet.includes(character) ? character : LOOKALIKES[character];
    if (mapped === undefined || !space.alphabet.includes(mapped)) return null;
    normalized += mapped;
  }
  return normalized.length === space.length ? normalized : null;
}
