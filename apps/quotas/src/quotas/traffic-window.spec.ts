import { trafficWindowOf } from './traffic-window.js';

describe('trafficWindowOf', () => {
  it('uses the group window when the group has a traffic limit', () => {
    expect(trafficWindowOf({ trafficWindow: 'day' })).toBe('day');
    expect(trafficWindowOf({ trafficWindow: 'month' })).toBe('month');
  });

  it('falls back to the current day when the group has no traffic limit', () => {
    expect(trafficWindowOf({ trafficWindow: null })).toBe('day');
  });
});
