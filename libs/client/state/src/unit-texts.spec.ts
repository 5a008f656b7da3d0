import {
  ENGLISH_UNIT_TEXTS,
  formatBytes,
  formatDuration,
  formatLimit,
  formatSpeed,
  unitName,
  useUnitTexts,
} from '@lexy/client-api';
import { LOCALIZED_UNIT_TEXTS } from './unit-texts';

describe('LOCALIZED_UNIT_TEXTS', () => {
  afterEach(() => useUnitTexts(ENGLISH_UNIT_TEXTS));

  it('say sizes and durations as the English defaults do in the source locale', () => {
    const samples = () => [
      formatBytes(1_536_000),
      formatSpeed(8e6),
      formatDuration(3725),
      formatDuration(5 * 86_400),
      formatLimit(null, formatBytes),
      unitName('MB', true),
      unitName('GB'),
      unitName('hours'),
    ];
    const english = samples();
    useUnitTexts(LOCALIZED_UNIT_TEXTS);
    expect(samples()).toEqual(english);
    expect(english).toEqual(['1.5 MB', '8 MB/s', '1 h 2 min', '5 days', 'Unlimited', 'MB/s', 'GB', 'hours']);
  });
});
