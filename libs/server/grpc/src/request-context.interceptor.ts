import { Metadata } from '@grpc/grpc-js';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import {
  acceptRequestId,
  currentRequestContext,
  REQUEST_ID_HEADER,
  runWithRequestContext,
  type RequestContext,
} from '@lexy/server-logging';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { CALLER_METADATA_KEY, verifyCallerToken, type Caller } from './caller-token.js';

/**
 * Runs each gRPC handler inside a request context: the caller's request id, and the
 * caller named by a valid `lexy-caller` token. A token that fails verification fails
 * the call; a call without one runs with no caller (see requireCaller).
 */
@Injectable()
export class GrpcRequestContextInterceptor implements NestInterceptor {
  constructor(private readonly callerSecret: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const metadata = context.switchToRpc().getContext<unknown>();
    const read = (key: string) => (metadata instanceof Metadata ? metadata.get(key)[0] : undefined);
    const requestContext: RequestContext = { requestId: acceptRequestId(read(REQUEST_ID_HEADER)) };
    const callerToken = read(CALLER_METADATA_KEY);
    if (typeof callerToken === 'string') {
      try {
        requestContext.caller = verifyCallerToken(callerToken, this.callerSecret);
        requestContext.callerToken = callerToken;
      } catch (error) {
        return throwError(() => error);
      }
    }
    return new Observable((subscriber) =>
      runWithRequestContext(requestContext, () => next.handle().subscribe(subscriber)),
    );
  }
}

/** The verified caller of the current gRPC call; UNAUTHENTICATED when there is none. */
export function requireCaller(): Caller {
  const caller = currentRequestContext()?.caller;
  if (!caller) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The caller could not be authenticated');
  return caller;
}
