import { jest } from '@jest/globals';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Presence } from './presence.js';

const settings = { prefix: 'lexy:test:', ttlSeconds: 90 };
const down = () => Promise.reject(new Error('Stream isn’t writeable and enableOfflineQueue options is false'));

describe('Presence', () => {
  let warn: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
  });

  it('marks a device online under its key for the TTL', async () => {
    const set = jest.fn(async () => 'OK');
    await new Presence({ set } as unknown as Redis, settings).markOnline('d1');
    expect(set).toHaveBeenCalledWith('lexy:test:presence:d1', '1', 'EX', 90);
  });

  it('reads presence in the order asked, in one MGET, and not at all for no device', async () => {
    const mget = jest.fn(async () => ['1', null, '1']);
    const presence = new Presence({ mget } as unknown as Redis, settings);
    expect(await presence.onlineOf(['a', 'b', 'c'])).toEqual([true, false, true]);
    expect(mget).toHaveBeenCalledTimes(1);
    expect(mget).toHaveBeenCalledWith(['lexy:test:presence:a', 'lexy:test:presence:b', 'lexy:test:presence:c']);
    expect(await presence.onlineOf([])).toEqual([]);
    expect(mget).toHaveBeenCalledTimes(1);
  });

  it('reads every device offline, with a warning, while Redis is down', async () => {
    const presence = new Presence({ mget: down } as unknown as Redis, settings);
    expect(await presence.onlineOf(['a', 'b'])).toEqual([false, false]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('presence unavailable'));
  });

  it('fails a mark online with SERVICE_UNAVAILABLE while Redis is down', async () => {
    const presence = new Presence({ set: down } as unknown as Redis, settings);
    const error = await presence.markOnline('d1').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('only warns when a mark offline cannot reach Redis', async () => {
    await expect(new Presence({ del: down } as unknown as Redis, settings).markOffline('d1')).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('offline'));
  });
});
