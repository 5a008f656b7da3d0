import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who a request acts for, as services see it (the shape of lexy.common.v1.Caller). */
export interface CallerIdentity {
  ownerId: string;
  group: string;
  kind: number;
}

/** What follows one request through a service and across its gRPC calls. */
export interface RequestContext {
  requestId: string;
  /** The verified caller, once known. */
  caller?: CallerIdentity;
  /** The signed internal token naming the caller, forwarded on every outgoing gRPC call. */
  callerToken?: string;
}

/** Header (HTTP) and metadata key (gRPC) that carry the request id between processes. */
export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Keeps a request id sent by a caller when it is harmless; makes a new one otherwise. */
export function acceptRequestId(candidate: unknown): string {
  return typeof candidate === 'string' && REQUEST_ID_PATTERN.test(candidate) ? candidate : randomUUID();
}
