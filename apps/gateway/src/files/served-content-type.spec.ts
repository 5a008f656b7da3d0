import { servedContentType } from './download.service.js';

describe('servedContentType', () => {
  it.each([
    'text/html',
    'text/javascript',
    'text/ecmascript',
    'text/x-javascript',
    'text/jscript',
    'text/livescript',
    'application/x-ecmascript',
    'text/css',
    'image/svg+xml',
    'application/xhtml+xml',
    'application/atom+xml',
    'application/vnd.wap.xhtml+xml',
    'text/xsl',
    'multipart/related',
    'message/rfc822',
    'TEXT/HTML; charset=utf-8',
    'anything/else',
  ])('serves %s as opaque bytes', (type) => {
    expect(servedContentType(type)).toBe('application/octet-stream');
  });

  it.each(['image/png', 'image/jpeg', 'video/mp4', 'audio/mpeg', 'text/plain', 'application/pdf', 'application/zip'])(
    'serves %s as it is',
    (type) => {
      expect(servedContentType(type)).toBe(type);
    },
  );

  it('drops parameters and case', () => {
    expect(servedContentType('Text/Plain; charset=utf-8')).toBe('text/plain');
  });
});
