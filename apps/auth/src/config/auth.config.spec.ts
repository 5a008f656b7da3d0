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

  it('refuses a JWT secret shorter than 32 characters', () => {
    expect(() => loadAuthConfig({ AUTH_JWT_SECRET: 'x'.repeat(31) })).toThrow(ConfigError);
    expect(() => loadAuthConfig({ AUTH_JWT_SECRET: 'x'.repeat(31) })).toThrow(/AUTH_JWT_SECRET: must be at least 32/);
  });
});
