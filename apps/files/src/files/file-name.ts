// A client's file name is display metadata only (UP-01): it never reaches a storage path,
// but it does reach Content-Disposition headers, other people's screens and their disks.

export const MAX_NAME_BYTES = 255;
export const FALLBACK_NAME = 'file';
export const FALLBACK_MIME_TYPE = 'application/octet-stream';

// C0, DEL and C1 controls; the bidi embeddings/overrides/isolates and marks that make
// "\u202Egnp.exe" display as "exe.png".
const UNSAFE_CHARACTERS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
// Unpaired UTF-16 surrogates (a paired one is a single code point under the u flag).
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;
const PATH_SEPARATORS = /[/\\]/g;
const EDGE_DOTS_AND_SPACES = /^[\s.]+|[\s.]+$/gu;
// Windows refuses these as a file's stem whatever the extension: "aux.txt" is AUX.
const WINDOWS_RESERVED = /^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])\s*(\..*)?$/i;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let result = '';
  let bytes = 0;
  // Cut between graphemes, so neither a character nor an emoji sequence is split.
  for (const { segment } of graphemes.segment(value)) {
    const size = Buffer.byteLength(segment, 'utf8');
    if (bytes + size > maxBytes) break;
    result += segment;
    bytes += size;
  }
  return result;
}

/** A name that is safe to show and to offer as a download name. */
export function cleanFileName(input: string): string {
  let name = input
    .normalize('NFC')
    .replace(LONE_SURROGATES, '')
    .replace(UNSAFE_CHARACTERS, '')
    .replace(PATH_SEPARATORS, '_')
    .replace(EDGE_DOTS_AND_SPACES, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  name = truncateUtf8(name, MAX_NAME_BYTES).replace(EDGE_DOTS_AND_SPACES, '');
  return name.length > 0 ? name : FALLBACK_NAME;
}

// RFC 9110 token characters on both sides of the slash; parameters are not kept.
const MIME_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The client's media type when it is a plain `type/subtype`, else application/octet-stream. */
export function cleanMimeType(input: string): string {
  return input.length <= 255 && MIME_TYPE.test(input) ? input.toLowerCase() : FALLBACK_MIME_TYPE;
}
