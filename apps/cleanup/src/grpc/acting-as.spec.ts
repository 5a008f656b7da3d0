import { commonV1 } from '@lexy/contracts-grpc';
import { verifyCallerToken } from '@lexy/server-grpc';
import { currentRequestContext, runWithRequestContext } from '@lexy/server-logging';
import { actingAs } from './acting-as.js';
import { CLEANUP_CALLER } from './maintenance-clients.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hmac';

/** A client that reports the request context each call runs in. */
const client = {
  label: 'not a method',
  async call(request: { n: number }) {
    return { request, context: currentRequestContext() };
  },
};

describe('actingAs', () => {
  it('makes every call with a caller token of the cleanup service', async () => {
    const { request, context } = await actingAs(client, CLEANUP_CALLER, SECRET).call({ n: 1 });

    expect(request).toEqual({ n: 1 });
    const caller = verifyCallerToken(context!.callerToken!, SECRET);
    expect(caller).toMatchObject({ ownerId: 'service:cleanup', kind: commonV1.IdentityKind.IDENTITY_KIND_SERVICE });
    expect(context!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the request id of the job run it is called in', async () => {
    const { context } = await runWithRequestContext({ requestId: 'cleanup-repeat:expire:1' }, () =>
      actingAs(client, CLEANUP_CALLER, SECRET).call({ n: 2 }),
    );
    expect(context!.requestId).toBe('cleanup-repeat:expire:1');
  });

  it('passes other properties through', () => {
    expect(actingAs(client, CLEANUP_CALLER, SECRET).label).toBe('not a method');
  });
});
