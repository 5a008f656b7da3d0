import { contentLength, MAX_HEAD_BYTES, parseResponseHead } from './response-head.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('parseResponseHead', () => {
  it('reads the status, the headers in lower case and where the body starts', () => {
    const raw = 'HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\nX-Amz-Id:  abc \r\n\r\nbody';
    const head = parseResponseHead(bytes(raw));
    expect(head).toEqual({
      statusCode: 206,
      headers: new Map([
        ['content-length', '10'],
        ['x-amz-id', 'abc'],
      ]),
      headLength: raw.indexOf('body'),
    });
  });

  it('accepts a status line without a reason and a head without headers', () => {
    expect(parseResponseHead(bytes('HTTP/1.0 200\r\n\r\n'))).toMatchObject({ statusCode: 200, headLength: 16 });
  });

  it('waits while the blank line has not arrived', () => {
    expect(parseResponseHead(bytes('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n'))).toBeNull();
    expect(parseResponseHead(bytes(''))).toBeNull();
  });

  it.each([
    ['a status line that is not HTTP/1.x', 'HTTP/2 200 OK\r\n\r\n'],
    ['a status that is not three digits', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nBroken\r\n\r\n'],
    ['a header name with a space', 'HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'],
  ])('refuses %s', (_case, raw) => {
    expect(() => parseResponseHead(bytes(raw))).toThrow(/Malformed/);
  });

  it('refuses a head longer than the limit, complete or not', () => {
    const filler = `HTTP/1.1 200 OK\r\nX-Filler: ${'a'.repeat(MAX_HEAD_BYTES)}`;
    expect(() => parseResponseHead(bytes(filler))).toThrow(/longer than/);
    expect(() => parseResponseHead(bytes(`${filler}\r\n\r\n`))).toThrow(/longer than/);
  });
});

describe('contentLength', () => {
  const head = (value?: string) =>
    parseResponseHead(bytes(`HTTP/1.1 200 OK\r\n${value === undefined ? '' : `Content-Length: ${value}\r\n`}\r\n`))!;

  it('is the number announced, or undefined without one', () => {
    expect(contentLength(head('0'))).toBe(0);
    expect(contentLength(head('1073741824'))).toBe(1073741824);
    expect(contentLength(head())).toBeUndefined();
  });

  it.each(['-1', '1e3', '12,12', 'ten', ''])('refuses %j', (value) => {
    expect(() => contentLength(head(value))).toThrow(/Malformed Content-Length/);
  });
});
