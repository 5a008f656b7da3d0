import { Metadata } from '@grpc/grpc-js';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { acceptRequestId, REQUEST_ID_HEADER, runWithRequestContext } from '@lexy/server-logging';
import { Observable } from 'rxjs';

/** Runs each gRPC handler inside the request context named by the caller's request id. */
@Injectable()
export class GrpcRequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const metadata = context.switchToRpc().getContext<unknown>();
    const candidate = metadata instanceof Metadata ? metadata.get(REQUEST_ID_HEADER)[0] : undefined;
    const requestId = acceptRequestId(candidate);
    return new Observable((subscriber) =>
      runWithRequestContext({ requestId }, () => next.handle().subscribe(subscriber)),
    );
  }
}
