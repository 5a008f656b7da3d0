export { ConfigError, configOrExit, loadConfig, type Environment } from './load-config.js';
export {
  grpcAddress,
  internalEnv,
  logEnv,
  mysqlEnv,
  port,
  secret,
  storageEnv,
  url,
  wholeNumber,
} from './env-schemas.js';
