import type { relayV1 } from '@lexy/contracts-grpc';
import { fakeClient, testRun, type CallLog } from '../../test/support/fakes.js';
import type { RelayMaintenance } from '../dependencies.js';
import { ExpireOffersJob } from './expire-offers.job.js';

/** `count` expired transfers, as ExpireOffers answers them. */
function expired(count: number): relayV1.ExpireOffersResponse {
  return {
    transfers: Array.from({ length: count }, (_, i) => ({ id: `t${i}` }) as relayV1.Transfer),
  };
}

describe('ExpireOffersJob', () => {
  it('expires batch after batch until one comes back short', async () => {
    const calls: CallLog = [];
    const answers = [3, 3, 2];
    const relay = fakeClient<RelayMaintenance>('relay', calls, {
      expireOffers: async () => expired(answers.shift() ?? 0),
    });
    const run = testRun();

    await new ExpireOffersJob(relay, { CLEANUP_BATCH_SIZE: 3 }).run(run);

    expect(relay.requests['expireOffers']).toEqual([{ limit: 3 }, { limit: 3 }, { limit: 3 }]);
    expect(calls).toEqual(['relay.expireOffers', 'relay.expireOffers', 'relay.expireOffers']);
    expect(run.counts).toEqual({ expired_offers: 8 });
  });

  it('counts nothing when no offer is due', async () => {
    const relay = fakeClient<RelayMaintenance>('relay', [], { expireOffers: async () => expired(0) });
    const run = testRun();
    await new ExpireOffersJob(relay, { CLEANUP_BATCH_SIZE: 500 }).run(run);
    expect(relay.requests['expireOffers']).toEqual([{ limit: 500 }]);
    expect(run.counts).toEqual({});
  });

  it('stops after the batch in hand when the run is stopped', async () => {
    const run = testRun();
    const relay = fakeClient<RelayMaintenance>('relay', [], {
      expireOffers: async () => {
        run.stop();
        return expired(2);
      },
    });
    await new ExpireOffersJob(relay, { CLEANUP_BATCH_SIZE: 2 }).run(run);
    expect(relay.requests['expireOffers']).toHaveLength(1);
    expect(run.counts).toEqual({ expired_offers: 2 });
  });

  it('fails the run when the relay fails', async () => {
    const relay = fakeClient<RelayMaintenance>('relay', [], {
      expireOffers: async () => {
        throw new Error('relay unavailable');
      },
    });
    await expect(new ExpireOffersJob(relay, { CLEANUP_BATCH_SIZE: 2 }).run(testRun())).rejects.toThrow(
      'relay unavailable',
    );
  });
});
