export { ConfigError, configOrExit, loadConfig, type Environment } from './load-config.js';
export { grpcAddress, internalEnv, logEnv, mysqlEnv, port, secret, storageEnv, url } from './env-schemas.js';
