import { allowedOrigins } from '../http/cross-origin.js';
import { forwardedHead, isAllowedOrigin } from './websocket-forwarding.js';

describe('isAllowedOrigin (WS-01 c)', () => {
  const origins = allowedOrigins('https://files.example/', ['http://192.168.1.20:8100']);
  const allowed = { origins, host: 'gateway.internal:8080' };

  it('lets native clients (no Origin) through: they still need a token at the relay', () => {
    expect(isAllowedOrigin(undefined, allowed)).toBe(true);
  });

  it('allows the public origin, the mobile app’s, the configured ones and the gateway’s own', () => {
    expect(isAllowedOrigin('https://files.example', allowed)).toBe(true);
    expect(isAllowedOrigin('capacitor://localhost', allowed)).toBe(true);
    expect(isAllowedOrigin('https://localhost', allowed)).toBe(true);
    expect(isAllowedOrigin('http://192.168.1.20:8100', allowed)).toBe(true);
    expect(isAllowedOrigin('http://gateway.internal:8080', allowed)).toBe(true);
  });

  it('refuses every other origin, look-alikes included', () => {
    for (const origin of [
      'https://evil.example',
      'https://files.example.evil.example',
      'http://files.example',
      'https://files.example:8443',
      'null',
      'http://localhost',
      'capacitor://localhost.evil.example',
      '',
    ]) {
      expect(isAllowedOrigin(origin, allowed)).toBe(false);
    }
    expect(isAllowedOrigin('http://gateway.internal:8080', { origins })).toBe(false);
  });
});

describe('forwardedHead', () => {
  it('keeps the request line and raw headers, and replaces X-Forwarded-For with the resolved address', () => {
    const head = forwardedHead(
      {
        method: 'GET',
        url: '/ws?deviceId=abc',
        rawHeaders: [
          'Host',
          'gateway:8080',
          'Upgrade',
          'websocket',
          'X-Forwarded-For',
          '6.6.6.6, 203.0.113.7',
          'Sec-WebSocket-Protocol',
          'lexy.v1, tok',
        ],
      },
      '203.0.113.7',
    );
    expect(head).toBe(
      'GET /ws?deviceId=abc HTTP/1.1\r\n' +
        'Host: gateway:8080\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: lexy.v1, tok\r\n' +
        'X-Forwarded-For: 203.0.113.7\r\n\r\n',
    );
  });
});
