import { jest } from '@jest/globals';
import { z } from 'zod';
import { grpcAddress, port, secret, url } from './env-schemas.js';
import { ConfigError, configOrExit, loadConfig } from './load-config.js';

const schema = z.object({
  PORT: port(8080),
  FILES_GRPC: grpcAddress('127.0.0.1:50052'),
  REDIS_URL: url(['redis:'], 'redis://127.0.0.1:6379'),
});

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    expect(loadConfig('test', schema, {})).toEqual({
      PORT: 8080,
      FILES_GRPC: '127.0.0.1:50052',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(loadConfig('test', schema, { PORT: '9000' }).PORT).toBe(9000);
  });

  it('names every bad variable in one error', () => {
    const load = () => loadConfig('gateway', schema, { PORT: 'eighty', FILES_GRPC: 'nowhere', REDIS_URL: 'http://x' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('gateway: invalid configuration');
      expect(message).toMatch(/PORT: /);
      expect(message).toMatch(/FILES_GRPC: expected host:port/);
      expect(message).toMatch(/REDIS_URL: expected a URL starting with redis:\/\//);
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });
});

describe('secret', () => {
  it('validates the development default like any given value', () => {
    const schema = z.object({ KEY: secret('d'.repeat(32)) });
    expect(loadConfig('test', schema, {}).KEY).toBe('d'.repeat(32));
    expect(() => loadConfig('test', schema, { KEY: 'short' })).toThrow(/KEY: must be at least 32 characters/);
    expect(() => loadConfig('test', z.object({ KEY: secret('short') }), {})).toThrow(/at least 32/);
  });
});

describe('configOrExit', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns what the loader returns', () => {
    expect(configOrExit(() => ({ PORT: 1 }))).toEqual({ PORT: 1 });
  });

  it('prints a config error as one message and exits with 78, without a stack trace', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() =>
      configOrExit(() => loadConfig('files', z.object({ FILES_PORT: port(1) }), { FILES_PORT: 'x' })),
    ).toThrow('exit 78');
    expect(exit).toHaveBeenCalledWith(78);
    const printed = String(write.mock.calls[0]?.[0]);
    expect(printed).toContain('FILES_PORT');
    expect(printed).not.toContain('    at ');
  });

  it('rethrows anything that is not a config error', () => {
    const boom = new Error('boom');
    expect(() =>
      configOrExit(() => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});
