import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { DomainError, ErrorCode, toGrpcError } from '@lexy/server-errors';
import { throwError, type Observable } from 'rxjs';

/**
 * Turns what a gRPC handler throws into a gRPC error: a DomainError keeps its code in
 * `lexy-error-code` metadata; anything else is logged here and leaves the service only
 * as a generic INTERNAL error, so no stack trace or message crosses the wire.
 */
@Catch()
export class DomainErrorRpcFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('grpc');

  catch(exception: unknown): Observable<never> {
    if (exception instanceof DomainError) {
      return throwError(() => toGrpcError(exception));
    }
    this.logger.error(exception instanceof Error ? exception.message : String(exception), (exception as Error)?.stack);
    return throwError(() => toGrpcError(new DomainError(ErrorCode.INTERNAL, 'Internal error')));
  }
}
