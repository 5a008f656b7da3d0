import TestSequencer from '@jest/test-sequencer';

/** Test files whose test leaves the cluster short of a replica: they run after all others. */
const LAST = [/gateway-killed\.e2e\.spec\.ts$/];

const Sequencer = TestSequencer.default ?? TestSequencer;

/**
 * The cluster's files in a fixed order, by name, with the one that SIGKILLs a gateway last: the
 * others count on both gateways being up. (Jest's own order goes by past durations and sizes.)
 */
export default class ClusterSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => (LAST.some((pattern) => pattern.test(test.path)) ? 1 : 0);
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}
