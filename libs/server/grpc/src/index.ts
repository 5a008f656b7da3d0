export { grpcClientOptions, grpcServerOptions, type GrpcTransportOptions } from './grpc-options.js';
export { DomainErrorRpcFilter } from './domain-error.filter.js';
export { createGrpcMicroservice, operationsModule, type GrpcServiceSettings } from './grpc-microservice.js';
export { drainGrpcServer, runGrpcService, type GrpcServiceRun } from './grpc-service-runner.js';
export { GrpcMetricsInterceptor, grpcCodeName, grpcCodeOf, grpcMethodOf } from './grpc-metrics.interceptor.js';
export { GrpcRequestContextInterceptor, requireCaller } from './request-context.interceptor.js';
export {
  CALLER_METADATA_KEY,
  quotaAccountOf,
  reusableCallerToken,
  signCallerToken,
  verifyCallerToken,
  type Caller,
} from './caller-token.js';
export { toPromiseClient, type PromiseClient, type PromiseClientOptions } from './promise-client.js';
export { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from './health.controller.js';
export { isServiceCaller, requireAdminCaller, requireServiceCaller, serviceCaller } from './service-caller.js';
export { DEFAULT_PAGE_SIZE, MAX_ADMIN_PAGE_SIZE, MAX_PAGE_SIZE, pageLimit } from './page-limit.js';
export {
  dailySeries,
  DEFAULT_SERIES_DAYS,
  MAX_SERIES_DAYS,
  seriesDayNames,
  seriesDays,
  type DayFigures,
} from './daily-series.js';
