import { reusableCallerToken, type Caller } from '@lexy/server-grpc';
import { acceptRequestId, currentRequestContext, runWithRequestContext } from '@lexy/server-logging';

/**
 * The client with every call made as `caller`: toPromiseClient forwards the caller token of
 * the current request context, so each call runs in a context holding a token for `caller`
 * (and the current request id, or a new one). The token is taken per call, not per job run,
 * because a long run (a reconcile of a large bucket) outlives one token's five minutes;
 * reusableCallerToken signs again only once a minute.
 */
export function actingAs<T extends object>(client: T, caller: Caller, secret: string): T {
  return new Proxy(client, {
    get(target, property) {
      const method = Reflect.get(target, property) as unknown;
      if (typeof method !== 'function') return method;
      return (request: unknown) =>
        runWithRequestContext(
          {
            requestId: currentRequestContext()?.requestId ?? acceptRequestId(undefined),
            callerToken: reusableCallerToken(caller, secret),
          },
          () => (method as (request: unknown) => unknown).call(target, request),
        );
    },
  });
}
