import { attachmentDisposition } from './content-disposition.js';

describe('attachmentDisposition (DL-02)', () => {
  it.each([
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    [
      'Ünïcödé 文件.txt',
      `attachment; filename="Unicode __.txt"; filename*=UTF-8''%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E6%96%87%E4%BB%B6.txt`,
    ],
    ['a"b;c\\d.txt', `attachment; filename="a_b_c_d.txt"; filename*=UTF-8''a%22b%3Bc%5Cd.txt`],
    ['%22.txt', `attachment; filename="_22.txt"; filename*=UTF-8''%2522.txt`],
  ])('%s', (name, expected) => {
    expect(attachmentDisposition(name)).toBe(expected);
  });

  it('never lets CR, LF or NUL into the header', () => {
    const header = attachmentDisposition('x\r\nSet-Cookie: a=b\u0000.txt');
    expect(header).not.toMatch(/[\r\n\u0000]/);
    expect(header.startsWith('attachment; filename="x__Set-Cookie: a=b_.txt"')).toBe(true);
  });

  it('falls back to a generic ASCII name and caps its length', () => {
    expect(attachmentDisposition('文件')).toMatch(/^attachment; filename="__"/);
    expect(attachmentDisposition('   ')).toMatch(/^attachment; filename="download"/);
    const long = attachmentDisposition('a'.repeat(1000));
    expect(long.split('"')[1]).toHaveLength(150);
  });
});
