import { isHandedUpgrade, isHandOverNotice, type HandedUpgrade } from './hand-over.js';

describe('isHandedUpgrade', () => {
  const valid: HandedUpgrade = { type: 'lexy.ws.upgrade', id: 1, method: 'GET', url: '/ws', rawHeaders: [], head: '' };

  it('takes the gateway’s message and nothing else', () => {
    expect(isHandedUpgrade(valid)).toBe(true);
    for (const other of [
      null,
      'lexy.ws.upgrade',
      { ...valid, type: 'other' },
      { ...valid, id: '1' },
      { ...valid, rawHeaders: ['Host', 3] },
      { ...valid, head: undefined },
    ]) {
      expect(isHandedUpgrade(other)).toBe(false);
    }
  });
});

describe('isHandOverNotice', () => {
  it('takes the relay’s two notices and nothing else', () => {
    expect(isHandOverNotice({ type: 'lexy.ws.ready' })).toBe(true);
    expect(isHandOverNotice({ type: 'lexy.ws.closed', id: 4 })).toBe(true);
    for (const other of [null, 3, { type: 'lexy.ws.closed' }, { type: 'lexy.ws.closed', id: '4' }, { type: 'ready' }]) {
      expect(isHandOverNotice(other)).toBe(false);
    }
  });
});
