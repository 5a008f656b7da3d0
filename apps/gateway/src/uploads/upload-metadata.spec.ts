import { ErrorCode } from '@lexy/server-errors';
import { readUploadMetadata } from './upload-metadata.js';

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

describe('readUploadMetadata', () => {
  it('decodes UTF-8 names intact and keeps the pin out of what HEAD echoes', () => {
    const metadata = readUploadMetadata(
      `filename ${b64('résumé final.bin')},filetype ${b64('text/plain')},pin ${b64('123456')},downloadLimit ${b64('3')}`,
    );
    expect(metadata).toMatchObject({
      name: 'résumé final.bin',
      mimeType: 'text/plain',
      pin: '123456',
      downloadLimit: 3,
    });
    expect(metadata.echoed).toEqual({
      filename: b64ToText(b64('résumé final.bin')),
      filetype: 'text/plain',
      downloadLimit: '3',
    });
  });

  it('defaults the name and type when the client sends none', () => {
    expect(readUploadMetadata(null)).toMatchObject({ name: '', mimeType: 'application/octet-stream', echoed: {} });
  });

  it('reads a declared whole-file sha256 in lower case', () => {
    const digest = 'AB'.repeat(32);
    expect(readUploadMetadata(`sha256 ${b64(digest)}`).sha256).toBe(digest.toLowerCase());
    expect(readUploadMetadata(`filename ${b64('x')}`).sha256).toBeUndefined();
  });

  it.each([
    `downloadLimit ${b64('ten')}`,
    'downloadLimit',
    'filename ***',
    'no spaces allowed in keys x',
    'sha256',
    `sha256 ${b64('ab'.repeat(31))}`,
    `sha256 ${b64('z'.repeat(64))}`,
  ])('refuses %s with 400', (header) => {
    expect(() => readUploadMetadata(header)).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }));
  });
});

function b64ToText(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}
