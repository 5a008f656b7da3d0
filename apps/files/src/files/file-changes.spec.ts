import { jest } from '@jest/globals';
import { FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL } from '@lexy/server-redis';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { FileChanges } from './file-changes.js';

type ExecResult = Array<[Error | null, unknown]> | null;

/** The bits of ioredis FileChanges uses: publish, and pipelines of publishes. */
function fakeRedis(exec: () => Promise<ExecResult>) {
  const published: string[][] = [];
  const pipelines: string[][][] = [];
  const redis = {
    publish: jest.fn(async (channel: string, message: string) => (published.push([channel, message]), 1)),
    pipeline: () => {
      const queued: string[][] = [];
      pipelines.push(queued);
      const pipeline = {
        publish: (channel: string, message: string) => (queued.push([channel, message]), pipeline),
        exec,
      };
      return pipeline;
    },
  };
  return { redis: redis as unknown as Redis, published, pipelines };
}

describe('FileChanges.announceMany', () => {
  let warn: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('sends nothing for no files, and one plain PUBLISH for one', async () => {
    const { redis, published, pipelines } = fakeRedis(async () => []);
    const changes = new FileChanges(redis);
    await changes.announceMany([]);
    await changes.announceMany(['f-1']);
    expect(published).toEqual([[FILE_CHANGES_CHANNEL, 'f-1']]);
    expect(pipelines).toEqual([]);
  });

  it('publishes many files in one pipeline', async () => {
    const { redis, published, pipelines } = fakeRedis(async () => [
      [null, 1],
      [null, 1],
    ]);
    await new FileChanges(redis).announceMany(['f-1', 'f-2']);
    expect(published).toEqual([]);
    expect(pipelines).toEqual([
      [
        [FILE_CHANGES_CHANNEL, 'f-1'],
        [FILE_CHANGES_CHANNEL, 'f-2'],
      ],
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs a failed pipeline, or failed commands in it, and never throws', async () => {
    const failing = fakeRedis(async () => {
      throw new Error('redis down');
    });
    await expect(new FileChanges(failing.redis).announceMany(['f-1', 'f-2'])).resolves.toBeUndefined();
    const partly = fakeRedis(async () => [
      [null, 1],
      [new Error('not writeable'), null],
    ]);
    await expect(new FileChanges(partly.redis).announceMany(['f-1', 'f-2'])).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[1]?.[0])).toContain('not writeable');
  });
});

describe('FileChanges.announceDeletion', () => {
  let warn: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('announces the change and the removal (downloads in flight are cut) in one round trip', async () => {
    const { redis, published, pipelines } = fakeRedis(async () => [
      [null, 1],
      [null, 1],
    ]);
    await new FileChanges(redis).announceDeletion('f-1');
    expect(published).toEqual([]);
    expect(pipelines).toEqual([
      [
        [FILE_CHANGES_CHANNEL, 'f-1'],
        [FILE_REMOVED_CHANNEL, 'f-1'],
      ],
    ]);
  });

  it('logs a failure and never throws: the deletion itself has happened', async () => {
    const failing = fakeRedis(async () => {
      throw new Error('redis down');
    });
    await expect(new FileChanges(failing.redis).announceDeletion('f-1')).resolves.toBeUndefined();
    expect(String(warn.mock.calls[0]?.[0])).toContain('the deletion of file f-1');
  });
});
