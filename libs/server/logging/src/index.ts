export { createLogger, NestJsonLogger, type LogLevel } from './logger.js';
export {
  acceptRequestId,
  currentRequestContext,
  REQUEST_ID_HEADER,
  runWithRequestContext,
  type CallerIdentity,
  type RequestContext,
} from './request-context.js';
export type { Logger } from 'pino';
