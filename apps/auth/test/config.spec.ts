// Runs the built config in a child process, because secret() picks its default from
// NODE_ENV when the module loads, and production must refuse to start without a secret.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const distConfig = fileURLToPath(new URL('../dist/config/auth.config.js', import.meta.url));

function loadInChild(env: Record<string, string>): string {
  const script = `
    import { loadAuthConfig } from ${JSON.stringify(distConfig)};
    try {
      const config = loadAuthConfig();
      process.stdout.write('secret-length=' + config.AUTH_JWT_SECRET.length);
    } catch (error) {
      process.stdout.write('refused: ' + error.message);
    }`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
}

describe('AUTH_JWT_SECRET', () => {
  it('has no default in production: the service refuses to load its config without it', () => {
    const output = loadInChild({ NODE_ENV: 'production', INTERNAL_CALLER_SECRET: 'c'.repeat(32) });
    expect(output).toMatch(/^refused: /);
    expect(output).toContain('AUTH_JWT_SECRET');
  });

  it('is accepted in production when set to 32 characters or more', () => {
    expect(
      loadInChild({ NODE_ENV: 'production', AUTH_JWT_SECRET: 's'.repeat(32), INTERNAL_CALLER_SECRET: 'c'.repeat(32) }),
    ).toBe('secret-length=32');
  });

  it('has a development default of at least 32 characters outside production', () => {
    expect(loadInChild({ NODE_ENV: 'development' })).toMatch(/^secret-length=(3[2-9]|[4-9]\d)$/);
  });
});
