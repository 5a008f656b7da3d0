import { DomainError, ErrorCode } from '@lexy/server-errors';
import { PassThrough } from 'node:stream';
import { refuseUpgrade } from './refuse-upgrade.js';

describe('refuseUpgrade', () => {
  it('answers an HTTP status with the JSON envelope and ends the connection', async () => {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    refuseUpgrade(socket, 403, new DomainError(ErrorCode.FORBIDDEN, 'no'));
    await new Promise((resolve) => socket.once('close', resolve));
    const [head, body] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(head).toContain('Content-Type: application/json');
    expect(JSON.parse(body ?? '')).toEqual({ error: { code: 'FORBIDDEN', message: 'no', details: {} } });
  });
});
