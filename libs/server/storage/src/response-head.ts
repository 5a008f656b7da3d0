/** The status line and headers of an HTTP/1.1 response. */
export interface ResponseHead {
  statusCode: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Map<string, string>;
  /** Bytes the head takes, including the blank line that ends it. */
  headLength: number;
}

/** A storage server's response head is a few hundred bytes; anything near this is not one. */
export const MAX_HEAD_BYTES = 16 * 1024;

const HEAD_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;

/**
 * Parses the response head at the start of `bytes`: null while the blank line that ends it has
 * not arrived yet. Throws on a malformed head or one longer than MAX_HEAD_BYTES.
 */
export function parseResponseHead(bytes: Buffer): ResponseHead | null {
  const end = bytes.indexOf(HEAD_END);
  if (end < 0 || end + HEAD_END.length > MAX_HEAD_BYTES) {
    if (end >= 0 || bytes.length >= MAX_HEAD_BYTES)
      throw new Error(`Response head longer than ${MAX_HEAD_BYTES} bytes`);
    return null;
  }
  const [statusLine = '', ...lines] = bytes.toString('latin1', 0, end).split('\r\n');
  const status = STATUS_LINE.exec(statusLine);
  if (!status) throw new Error(`Malformed status line: ${JSON.stringify(statusLine.slice(0, 100))}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const header = HEADER_LINE.exec(line);
    if (!header) throw new Error(`Malformed header line: ${JSON.stringify(line.slice(0, 100))}`);
    headers.set(header[1]!.toLowerCase(), header[2]!);
  }
  return { statusCode: Number(status[1]), headers, headLength: end + HEAD_END.length };
}

/** The Content-Length of a response, or undefined when absent; throws when it is not a number. */
export function contentLength(head: ResponseHead): number | undefined {
  const value = head.headers.get('content-length');
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value)) throw new Error(`Malformed Content-Length: ${JSON.stringify(value)}`);
  return Number(value);
}
