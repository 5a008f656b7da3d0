export { ConfigError, configOrExit, loadConfig, type Environment } from './load-config.js';
export {
  grpcAddress,
  internalEnv,
  logEnv,
  metricsEnv,
  mysqlEnv,
  port,
  secret,
  shutdownEnv,
  storageEnv,
  url,
  wholeNumber,
} from './env-schemas.js';
