import { chooseProtocol, offeredProtocols, upgradeCredentials } from './upgrade-credentials.js';

const withProtocols = (url: string, protocols?: string) => ({
  url,
  headers: protocols === undefined ? {} : { 'sec-websocket-protocol': protocols },
});

describe('upgrade credentials', () => {
  it('takes the token beside lexy.v1 and the deviceId of the URL', () => {
    expect(upgradeCredentials(withProtocols('/ws?deviceId=abc', 'lexy.v1, a.b.c'))).toEqual({
      kind: 'token',
      token: 'a.b.c',
      deviceId: 'abc',
    });
  });

  it('is null without a token (the socket authenticates with its first frame)', () => {
    expect(upgradeCredentials(withProtocols('/ws'))).toBeNull();
    expect(upgradeCredentials(withProtocols('/ws?deviceId=abc', 'lexy.v1'))).toBeNull();
  });

  it('keeps a token without deviceId, for the authenticator to refuse', () => {
    expect(upgradeCredentials(withProtocols('/ws', 'lexy.v1,tok'))).toEqual({
      kind: 'token',
      token: 'tok',
      deviceId: '',
    });
  });

  it('takes a ticket from the query string', () => {
    expect(upgradeCredentials(withProtocols('/ws?ticket=t-1', 'lexy.v1'))).toEqual({ kind: 'ticket', ticket: 't-1' });
  });

  it.each(['token', 'access_token', 'Access_Token', 'accessToken', 'jwt'])(
    'refuses a token in the query string (?%s=), with or without other credentials',
    (name) => {
      expect(upgradeCredentials(withProtocols(`/ws?deviceId=d&${name}=a.b.c`))).toMatchObject({ kind: 'refused' });
      expect(upgradeCredentials(withProtocols(`/ws?deviceId=d&${name}=a.b.c`, 'lexy.v1, a.b.c'))).toMatchObject({
        kind: 'refused',
      });
      expect(upgradeCredentials(withProtocols(`/ws?ticket=t&${name}=a.b.c`))).toMatchObject({ kind: 'refused' });
    },
  );

  it('refuses an empty ticket, and a ticket beside a token', () => {
    expect(upgradeCredentials(withProtocols('/ws?ticket='))).toMatchObject({ kind: 'refused' });
    expect(upgradeCredentials(withProtocols('/ws?ticket=t', 'lexy.v1, tok'))).toMatchObject({ kind: 'refused' });
  });

  it('lists the offered protocols in order and answers lexy.v1 only', () => {
    expect(offeredProtocols({ 'sec-websocket-protocol': ' lexy.v1 ,  tok ' })).toEqual(['lexy.v1', 'tok']);
    expect(chooseProtocol(new Set(['lexy.v1', 'tok']))).toBe('lexy.v1');
    expect(chooseProtocol(new Set(['chat']))).toBe(false);
  });
});
