import { chooseProtocol, offeredProtocols, upgradeCredentials } from './upgrade-credentials.js';

describe('upgrade credentials', () => {
  it('takes the token beside lexy.v1 and the deviceId of the URL', () => {
    const request = { url: '/ws?deviceId=abc', headers: { 'sec-websocket-protocol': 'lexy.v1, a.b.c' } };
    expect(upgradeCredentials(request)).toEqual({ token: 'a.b.c', deviceId: 'abc' });
  });

  it('is null without a token (the socket authenticates with its first frame)', () => {
    expect(upgradeCredentials({ url: '/ws', headers: {} })).toBeNull();
    expect(
      upgradeCredentials({ url: '/ws?deviceId=abc', headers: { 'sec-websocket-protocol': 'lexy.v1' } }),
    ).toBeNull();
  });

  it('keeps a token without deviceId, for the authenticator to refuse', () => {
    expect(upgradeCredentials({ url: '/ws', headers: { 'sec-websocket-protocol': 'lexy.v1,tok' } })).toEqual({
      token: 'tok',
      deviceId: '',
    });
  });

  it('lists the offered protocols in order and answers lexy.v1 only', () => {
    expect(offeredProtocols({ 'sec-websocket-protocol': ' lexy.v1 ,  tok ' })).toEqual(['lexy.v1', 'tok']);
    expect(chooseProtocol(new Set(['lexy.v1', 'tok']))).toBe('lexy.v1');
    expect(chooseProtocol(new Set(['chat']))).toBe(false);
  });
});
