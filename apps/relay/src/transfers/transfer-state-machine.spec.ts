import {
  canTransition,
  expiryConditionOf,
  isFinal,
  isTransferState,
  OPEN_STATES,
  statesLeadingTo,
  targetOf,
  TRANSFER_STATES,
  type TransferState,
} from './transfer-state-machine.js';

// Written out here, not derived from the module, so a changed table fails this test.
const ALLOWED: Array<[TransferState, TransferState]> = [
  ['pending', 'accepted'],
  ['pending', 'rejected'],
  ['pending', 'cancelled'],
  ['pending', 'expired'],
  ['accepted', 'streaming'],
  ['accepted', 'cancelled'],
  ['accepted', 'failed'],
  ['streaming', 'completed'],
  ['streaming', 'cancelled'],
  ['streaming', 'failed'],
];

const isAllowed = (from: TransferState, to: TransferState) => ALLOWED.some(([f, t]) => f === from && t === to);
const FORBIDDEN = TRANSFER_STATES.flatMap((from) =>
  TRANSFER_STATES.filter((to) => !isAllowed(from, to)).map((to): [TransferState, TransferState] => [from, to]),
);

describe('transfer state machine', () => {
  it('knows the eight states of relay.proto', () => {
    expect([...TRANSFER_STATES].sort()).toEqual(
      ['accepted', 'cancelled', 'completed', 'expired', 'failed', 'pending', 'rejected', 'streaming'].sort(),
    );
  });

  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('forbids the other 54 pairs', () => {
    expect(FORBIDDEN).toHaveLength(64 - ALLOWED.length);
  });

  it.each(FORBIDDEN)('forbids %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it.each([
    ['pending', 'completed'],
    ['pending', 'streaming'],
    ['accepted', 'pending'],
    ['accepted', 'rejected'],
    ['streaming', 'accepted'],
    ['completed', 'cancelled'],
    ['cancelled', 'pending'],
    ['expired', 'accepted'],
    ['rejected', 'accepted'],
    ['failed', 'streaming'],
  ] as Array<[TransferState, TransferState]>)('forbids in particular %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('lets a stored transfer, and only a stored one, go from accepted to completed', () => {
    expect(canTransition('accepted', 'completed', 'stored')).toBe(true);
    expect(canTransition('accepted', 'completed')).toBe(false);
    expect(canTransition('accepted', 'completed', 'relay')).toBe(false);
    expect(canTransition('accepted', 'completed', 'p2p')).toBe(false);
  });

  it.each(FORBIDDEN.filter(([from, to]) => !(from === 'accepted' && to === 'completed')))(
    'forbids %s → %s for a stored transfer too',
    (from, to) => {
      expect(canTransition(from, to, 'stored')).toBe(false);
    },
  );

  it.each(ALLOWED)('allows %s → %s for every mode', (from, to) => {
    for (const mode of ['relay', 'p2p', 'stored'] as const) expect(canTransition(from, to, mode)).toBe(true);
  });

  it('never stays in place', () => {
    for (const state of TRANSFER_STATES) expect(canTransition(state, state)).toBe(false);
  });

  it('has pending, accepted and streaming open and every other state final', () => {
    expect(OPEN_STATES).toEqual(['pending', 'accepted', 'streaming']);
    for (const state of ['completed', 'rejected', 'cancelled', 'failed', 'expired'] as const) {
      expect(isFinal(state)).toBe(true);
    }
    for (const state of OPEN_STATES) expect(isFinal(state)).toBe(false);
  });

  it('can cancel exactly the open states', () => {
    expect(statesLeadingTo('cancelled')).toEqual(['pending', 'accepted', 'streaming']);
    expect(statesLeadingTo('expired')).toEqual(['pending']);
    expect(statesLeadingTo('failed')).toEqual(['accepted', 'streaming']);
    expect(statesLeadingTo('pending')).toEqual([]);
  });

  it('maps the device actions to their targets', () => {
    expect(targetOf('accept')).toBe('accepted');
    expect(targetOf('reject')).toBe('rejected');
    expect(targetOf('cancel')).toBe('cancelled');
  });

  it('answers an offer only before its expiry and expires it only after', () => {
    expect(expiryConditionOf('pending', 'accepted')).toBe('before-expiry');
    expect(expiryConditionOf('pending', 'rejected')).toBe('before-expiry');
    expect(expiryConditionOf('pending', 'cancelled')).toBe('before-expiry');
    expect(expiryConditionOf('pending', 'expired')).toBe('past-expiry');
    expect(expiryConditionOf('accepted', 'cancelled')).toBe('none');
    expect(expiryConditionOf('streaming', 'completed')).toBe('none');
  });

  it('recognises state names', () => {
    expect(isTransferState('streaming')).toBe(true);
    expect(isTransferState('STREAMING')).toBe(false);
    expect(isTransferState(3)).toBe(false);
  });
});
