import { Writable } from 'node:stream';
import { createLogger } from './logger.js';
import { acceptRequestId, runWithRequestContext } from './request-context.js';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('files', 'info', sink), lines };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level, UTC time and the current request id', () => {
    const { logger, lines } = captureLogger();
    runWithRequestContext({ requestId: 'req-1' }, () => logger.info('inside'));
    logger.info('outside');

    expect(lines[0]).toEqual(
      expect.objectContaining({ service: 'files', level: 'info', msg: 'inside', requestId: 'req-1' }),
    );
    expect(String(lines[0]?.['time'])).toMatch(/Z$/);
    expect(lines[1]).not.toHaveProperty('requestId');
  });
});

describe('acceptRequestId', () => {
  it('keeps a well-formed id and replaces anything else', () => {
    expect(acceptRequestId('abc-123')).toBe('abc-123');
    expect(acceptRequestId('bad id\r\nSet-Cookie: x')).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptRequestId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptRequestId('x'.repeat(500))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
