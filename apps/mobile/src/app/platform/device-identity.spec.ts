import { phoneIdentity } from './device-identity';

describe('phoneIdentity', () => {
  it('names an Android phone after its model', () => {
    const ua =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0 Mobile Safari/537.36';
    expect(phoneIdentity(ua, 'android')).toEqual({ name: 'Pixel 8', platform: 'android' });
    expect(
      phoneIdentity('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/127.0 Mobile', 'android'),
    ).toEqual({ name: 'Android phone', platform: 'android' });
  });

  it('names an iPhone or iPad, and the web build as a browser', () => {
    expect(phoneIdentity('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15', 'ios')).toEqual(
      {
        name: 'iPhone',
        platform: 'ios',
      },
    );
    expect(phoneIdentity('Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) AppleWebKit/605.1.15', 'ios').name).toBe(
      'iPad',
    );
    expect(
      phoneIdentity(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0 Safari/537.36',
        'web',
      ),
    ).toEqual({ name: 'Chromium on Linux', platform: 'web' });
  });
});
