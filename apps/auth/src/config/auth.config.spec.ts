import { ConfigError } from '@lexy/server-config';
import { loadAuthConfig } from './auth.config.js';

describe('loadAuthConfig', () => {
  it('has token defaults: issuer lexy-auth, audience lexy-api, 900 s access tokens, 30-day sessions', () => {
    const config = loadAuthConfig({});
    expect(config).toMatchObject({
      AUTH_JWT_ISSUER: 'lexy-auth',
      AUTH_JWT_AUDIENCE: 'lexy-api',
      AUTH_ACCESS_TOKEN_TTL_SECONDS: 900,
      AUTH_SESSION_TTL_SECONDS: 30 * 86_400,
    });
    expect(config.AUTH_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('defaults refresh families to a 14-day idle end and a 10 s grace window, which may not exceed 10 s', () => {
    expect(loadAuthConfig({})).toMatchObject({
      AUTH_REFRESH_IDLE_SECONDS: 14 * 86_400,
      AUTH_REFRESH_GRACE_SECONDS: 10,
    });
    expect(loadAuthConfig({ AUTH_REFRESH_GRACE_SECONDS: '0' }).AUTH_REFRESH_GRACE_SECONDS).toBe(0);
    expect(() => loadAuthConfig({ AUTH_REFRESH_GRACE_SECONDS: '11' })).toThrow(/AUTH_REFRESH_GRACE_SECONDS/);
    expect(() => loadAuthConfig({ AUTH_REFRESH_IDLE_SECONDS: '60' })).toThrow(/AUTH_REFRESH_IDLE_SECONDS/);
  });

  it('refuses a JWT secret shorter than 32 characters', () => {
    expect(() => loadAuthConfig({ AUTH_JWT_SECRET: 'x'.repeat(31) })).toThrow(ConfigError);
    expect(() => loadAuthConfig({ AUTH_JWT_SECRET: 'x'.repeat(31) })).toThrow(/AUTH_JWT_SECRET: must be at least 32/);
  });
});

describe('admin bootstrap settings', () => {
  it('accepts both ADMIN_EMAIL and ADMIN_PASSWORD, or neither', () => {
    const neither = loadAuthConfig({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    expect(neither.ADMIN_EMAIL).toBeUndefined();
    expect(neither.ADMIN_PASSWORD).toBeUndefined();
    expect(loadAuthConfig({ ADMIN_EMAIL: 'root@example.org', ADMIN_PASSWORD: 'long enough' })).toMatchObject({
      ADMIN_EMAIL: 'root@example.org',
      ADMIN_PASSWORD: 'long enough',
    });
  });

  it.each([
    [{ ADMIN_EMAIL: 'root@example.org' }, /ADMIN_PASSWORD: must be set together/],
    [{ ADMIN_PASSWORD: 'long enough' }, /ADMIN_EMAIL: must be set together/],
    [{ ADMIN_EMAIL: 'root', ADMIN_PASSWORD: 'long enough' }, /ADMIN_EMAIL: must be an email/],
    [{ ADMIN_EMAIL: 'root@example.org', ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD: must be 8-256/],
  ])('refuses %j', (env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(ConfigError);
    expect(() => loadAuthConfig(env)).toThrow(message);
  });

  it('defaults Redis to 127.0.0.1:6379 with the lexy: prefix the gateway reads', () => {
    expect(loadAuthConfig({})).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', AUTH_REDIS_PREFIX: 'lexy:' });
  });
});
