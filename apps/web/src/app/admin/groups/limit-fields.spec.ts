import { LIMIT_SPECS, draftOf, draftsOf, parseDraft, rangeText, type LimitKey } from './limit-fields';

const spec = (key: LimitKey) => LIMIT_SPECS.find((each) => each.key === key)!;

describe('the group limits in the units people read', () => {
  it('start from the saved values in the largest unit that says them whole', () => {
    const drafts = draftsOf({
      downloadBytesPerSecond: 3_000_000,
      maxFileBytes: 500_000_000,
      storageBytes: 2_000_000_000,
      trafficBytes: null,
      trafficWindow: 'day',
      retentionSeconds: 900,
    });
    expect(drafts).toEqual({
      downloadBytesPerSecond: { unlimited: false, amount: '3', unit: 'MB' },
      maxFileBytes: { unlimited: false, amount: '500', unit: 'MB' },
      storageBytes: { unlimited: false, amount: '2', unit: 'GB' },
      trafficBytes: { unlimited: true, amount: '', unit: 'GB' },
      retentionSeconds: { unlimited: false, amount: '15', unit: 'minutes' },
    });
    expect(draftOf(spec('retentionSeconds'), 5 * 86_400)).toEqual({ unlimited: false, amount: '5', unit: 'days' });
    expect(draftOf(spec('retentionSeconds'), 6 * 3600)).toEqual({ unlimited: false, amount: '6', unit: 'hours' });
  });

  it('turn what was entered into whole bytes and seconds, or null for unlimited', () => {
    expect(parseDraft(spec('downloadBytesPerSecond'), { unlimited: false, amount: '1.5', unit: 'MB' })).toEqual({
      ok: true,
      value: 1_500_000,
    });
    expect(parseDraft(spec('retentionSeconds'), { unlimited: false, amount: '1', unit: 'minutes' })).toEqual({
      ok: true,
      value: 60,
    });
    expect(parseDraft(spec('storageBytes'), { unlimited: true, amount: 'whatever', unit: 'GB' })).toEqual({
      ok: true,
      value: null,
    });
  });

  it('refuse what the server refuses, saying the bounds in the unit chosen', () => {
    const retention = spec('retentionSeconds');
    expect(parseDraft(retention, { unlimited: false, amount: '0.5', unit: 'minutes' })).toEqual({
      ok: false,
      problem: 'Enter an amount from 1 to 5256000 minutes.',
    });
    expect(parseDraft(retention, { unlimited: false, amount: '3651', unit: 'days' })).toEqual({
      ok: false,
      problem: 'Enter an amount from 0.000694 to 3650 days.',
    });
    expect(parseDraft(retention, { unlimited: false, amount: '', unit: 'hours' })).toMatchObject({ ok: false });
    expect(parseDraft(retention, { unlimited: false, amount: 'abc', unit: 'hours' })).toMatchObject({ ok: false });
    expect(parseDraft(spec('downloadBytesPerSecond'), { unlimited: false, amount: '0.0009', unit: 'MB' })).toEqual({
      ok: false,
      problem: 'Enter an amount from 0.001 to 1000000 MB/s.',
    });
    expect(rangeText(spec('maxFileBytes'), 'GB')).toBe('Enter an amount above 0 and up to 1000000 GB.');
    expect(parseDraft(spec('maxFileBytes'), { unlimited: false, amount: '0', unit: 'GB' })).toMatchObject({
      ok: false,
    });
  });
});
