import { cleanFileName, cleanMimeType, FALLBACK_MIME_TYPE } from './file-name.js';

const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8');

describe('cleanFileName (UP-01)', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..\\..\\win.ini', '_.._win.ini'],
    ['/abs', '_abs'],
    ['sub/../sub2/f', 'sub_.._sub2_f'],
    ['%2e%2e%2f', '%2e%2e%2f'],
    ['a.txt\u0000.jpg', 'a.txt.jpg'],
    ['tab\there\r\n', 'tabhere'],
    ['\u0085next\u009f', 'next'],
    ['\u202Egnp.exe', 'gnp.exe'],
    ['a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i\u200Ej\u200Fk', 'abcdefghijk'],
    ['name.', 'name'],
    ['  .hidden  ', 'hidden'],
    ['...', 'file'],
    ['', 'file'],
    ['\u0000\u202E', 'file'],
    ['CON', '_CON'],
    ['con', '_con'],
    ['aux.txt', '_aux.txt'],
    ['NUL.tar.gz', '_NUL.tar.gz'],
    ['COM1', '_COM1'],
    ['lpt9.log', '_lpt9.log'],
    ['CON.', '_CON'],
    ['COM0', 'COM0'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['my aux.txt', 'my aux.txt'],
    ['ü-composed', 'ü-composed'],
  ])('%j → %j', (input, expected) => {
    expect(cleanFileName(input)).toBe(expected);
  });

  it('returns NFC', () => {
    const decomposed = 'Cafe\u0301.txt';
    expect(cleanFileName(decomposed)).toBe('Caf\u00e9.txt');
    expect(cleanFileName(decomposed)).toBe(cleanFileName(decomposed).normalize('NFC'));
  });

  it('cuts a 1,000-byte name to 255 bytes on a character boundary', () => {
    expect(cleanFileName('a'.repeat(1_000))).toBe('a'.repeat(255));
    const multibyte = cleanFileName('é'.repeat(500));
    expect(utf8Bytes(multibyte)).toBeLessThanOrEqual(255);
    expect(multibyte).toBe('é'.repeat(127));
    const emoji = cleanFileName(`${'a'.repeat(253)}😀😀`);
    expect(emoji).toBe('a'.repeat(253));
    expect(emoji).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('drops lone surrogates', () => {
    expect(cleanFileName('a\uD800b\uDC00c.txt')).toBe('abc.txt');
  });

  it('never returns something unsafe for arbitrary input', () => {
    const pool = [
      'a',
      'Z',
      '.',
      ' ',
      '/',
      '\\',
      '\u0000',
      '\u202E',
      '\u2066',
      'é',
      'e\u0301',
      '😀',
      '\uD800',
      'CON',
      '\u007f',
    ];
    for (let i = 0; i < 2_000; i += 1) {
      const length = (i * 7919) % 400;
      let input = '';
      for (let j = 0; j < length; j += 1) input += pool[(i * 31 + j * 17 + ((i * j) % 13)) % pool.length];
      const name = cleanFileName(input);
      expect(name.length).toBeGreaterThan(0);
      expect(utf8Bytes(name)).toBeLessThanOrEqual(255);
      expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(name).not.toMatch(/^[\s.]|[\s.]$/);
      expect(name).not.toMatch(/^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$/i);
      expect(name).toBe(name.normalize('NFC'));
    }
  });
});

describe('cleanMimeType', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['Image/PNG', 'image/png'],
    [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['text/html; charset=utf-8', FALLBACK_MIME_TYPE],
    ['text', FALLBACK_MIME_TYPE],
    ['', FALLBACK_MIME_TYPE],
    ['text/plain\r\nX-Injected: 1', FALLBACK_MIME_TYPE],
    ['a/b/c', FALLBACK_MIME_TYPE],
    [`application/${'x'.repeat(300)}`, FALLBACK_MIME_TYPE],
  ])('%j → %j', (input, expected) => {
    expect(cleanMimeType(input)).toBe(expected);
  });
});
