import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, ERROR_TRANSPORT } from '@lexy/server-errors';
import { METRIC, type Histogram, type ServiceMetrics } from '@lexy/server-metrics';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { finalize, tap, type Observable } from 'rxjs';

type Labels = 'grpc_service' | 'grpc_method' | 'grpc_code';

/** `OK`, `NOT_FOUND`, …: the status a call ends with, by its name in grpc-js. */
export function grpcCodeName(code: GrpcStatus): string {
  return GrpcStatus[code] ?? 'UNKNOWN';
}

/** The status a handler's error becomes on the wire (DomainErrorRpcFilter: a DomainError's own, else INTERNAL). */
export function grpcCodeOf(error: unknown): string {
  return grpcCodeName(error instanceof DomainError ? ERROR_TRANSPORT[error.code].grpc : GrpcStatus.INTERNAL);
}

/** `lexy.files.v1.FilesService` and `GetFile` from the call's path `/lexy.files.v1.FilesService/GetFile`. */
export function grpcMethodOf(context: ExecutionContext): { service: string; method: string } {
  const call = context.getArgByIndex<{ getPath?: () => string } | undefined>(2);
  const path = typeof call?.getPath === 'function' ? call.getPath() : '';
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (match) return { service: match[1]!, method: match[2]! };
  return { service: context.getClass().name, method: context.getHandler().name };
}

/**
 * Times every call a gRPC service serves: lexy_grpc_server_handling_seconds{grpc_service,
 * grpc_method, grpc_code}. Registered before the other interceptors, so that a call refused
 * by them (a forged caller token) is counted too; a call its client cancelled counts as CANCELLED.
 */
@Injectable()
export class GrpcMetricsInterceptor implements NestInterceptor {
  private readonly handling: Histogram<Labels>;

  constructor(metrics: ServiceMetrics) {
    this.handling = metrics.histogram({
      name: METRIC.grpcServerHandling,
      help: 'Duration of the gRPC calls this service served, by service, method and status.',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { service, method } = grpcMethodOf(context);
    const stop = this.handling.startTimer({ grpc_service: service, grpc_method: method });
    let code: string | undefined;
    return next.handle().pipe(
      tap({ complete: () => (code = 'OK'), error: (error: unknown) => (code = grpcCodeOf(error)) }),
      finalize(() => stop({ grpc_code: code ?? grpcCodeName(GrpcStatus.CANCELLED) })),
    );
  }
}
