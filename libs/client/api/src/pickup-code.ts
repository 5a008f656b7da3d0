/** Crockford base32 without I, L, O, U: the alphabet of pickup codes (docs/api.md). */
const CODE_ALPHABET = /^[0-9A-HJKMNP-TV-Z]{6}$/;

/**
 * Reads a pickup code the way the gateway does: case-insensitive, spaces and dashes ignored,
 * O read as 0 and I/L as 1. Returns null when what is left cannot be a code.
 */
export function normalizePickupCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return CODE_ALPHABET.test(code) ? code : null;
}

/** "ABC123" → "ABC 123": two groups of three are easier to read aloud and to type. */
export function groupPickupCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** The code and link token of a share link (`${PUBLIC_URL}/p/<code>?t=<token>`), or null if it is none. */
export function parseShareUrl(url: string): { code: string; token: string | null } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const match = /\/p\/([^/]+)\/?$/.exec(parsed.pathname);
  const code = match?.[1] ? normalizePickupCode(decodeURIComponent(match[1])) : null;
  return code ? { code, token: parsed.searchParams.get('t') } : null;
}
