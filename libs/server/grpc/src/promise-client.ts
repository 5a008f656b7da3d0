import { Metadata } from '@grpc/grpc-js';
import { fromGrpcError } from '@lexy/server-errors';
import { currentRequestContext, REQUEST_ID_HEADER } from '@lexy/server-logging';
import { firstValueFrom, type Observable } from 'rxjs';
import { CALLER_METADATA_KEY } from './caller-token.js';

/** A ts-proto client interface with each Observable-returning method turned into a Promise. */
export type PromiseClient<T> = {
  [K in keyof T]: T[K] extends (request: infer Req, metadata?: Metadata) => Observable<infer Res>
    ? (request: Req) => Promise<Res>
    : never;
};

export interface PromiseClientOptions {
  /** Per-call deadline; a service that does not answer in time is reported unavailable. */
  deadlineMs?: number;
}

/**
 * Wraps a Nest gRPC client so each call: carries the current request id, has a deadline,
 * and fails with a DomainError (the service's own code, or SERVICE_UNAVAILABLE).
 */
export function toPromiseClient<T extends object>(client: T, options: PromiseClientOptions = {}): PromiseClient<T> {
  const deadlineMs = options.deadlineMs ?? 5_000;
  return new Proxy(client, {
    get(target, property) {
      const method = Reflect.get(target, property) as unknown;
      if (typeof method !== 'function') return method;
      return async (request: unknown) => {
        const metadata = new Metadata();
        const context = currentRequestContext();
        if (context) metadata.set(REQUEST_ID_HEADER, context.requestId);
        // The caller travels with every call made on its behalf, signed (AUTH-08).
        if (context?.callerToken) metadata.set(CALLER_METADATA_KEY, context.callerToken);
        const callOptions = { deadline: Date.now() + deadlineMs };
        try {
          return await firstValueFrom(
            (method as (...args: unknown[]) => Observable<unknown>).call(target, request, metadata, callOptions),
          );
        } catch (error) {
          throw fromGrpcError(error);
        }
      };
    },
  }) as unknown as PromiseClient<T>;
}
