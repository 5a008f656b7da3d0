const MAX_ASCII_FALLBACK = 150;

/** RFC 8187 `value-chars`: everything else is percent-encoded. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment` with a plain ASCII `filename` for old clients and the exact name in
 * `filename*` (RFC 6266 + RFC 8187). Quotes, backslashes, control characters and
 * anything non-ASCII never reach the quoted form, so no name can break the header.
 */
export function attachmentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\x20-\x7e]|["\\%;]/g, '_')
      .trim()
      .slice(0, MAX_ASCII_FALLBACK) || 'download';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}
