import { normalizeServerUrl } from './server-url';

describe('normalizeServerUrl', () => {
  it('takes the origin a person meant, https when they typed no scheme', () => {
    expect(normalizeServerUrl('files.example.org')).toBe('https://files.example.org');
    expect(normalizeServerUrl('  http://192.168.1.20:8080/  ')).toBe('http://192.168.1.20:8080');
    expect(normalizeServerUrl('https://files.example.org/api/v1?x=1')).toBe('https://files.example.org');
  });

  it('refuses what is not an http(s) address', () => {
    expect(() => normalizeServerUrl('ftp://files.example.org')).toThrow();
    expect(() => normalizeServerUrl('javascript:alert(1)')).toThrow();
    expect(() => normalizeServerUrl('')).toThrow();
  });
});
