import {
  grpcAddress,
  internalEnv,
  loadConfig,
  logEnv,
  port,
  storageEnv,
  url,
  type Environment,
} from '@lexy/server-config';
import { isIP } from 'node:net';
import { z } from 'zod';

/** A comma-separated list of IP addresses or CIDR ranges, e.g. "10.0.0.0/8,127.0.0.1". */
const addressList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine(
    (entries) =>
      entries.every((entry) => {
        const [address, prefix] = entry.split('/');
        return isIP(address ?? '') !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix));
      }),
    'expected a comma-separated list of IP addresses or CIDR ranges',
  );

const schema = z.object({
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port(8080),
  AUTH_GRPC_ADDRESS: grpcAddress('127.0.0.1:50051'),
  FILES_GRPC_ADDRESS: grpcAddress('127.0.0.1:50052'),
  QUOTAS_GRPC_ADDRESS: grpcAddress('127.0.0.1:50053'),
  TRUSTED_PROXIES: addressList,
  GATEWAY_JSON_BODY_LIMIT: z.string().default('64kb'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** How long a verified access token is trusted without asking auth again (revocation is checked every time). */
  GATEWAY_TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  ...internalEnv,
  ...storageEnv,
  ...logEnv,
});

export type GatewayConfig = z.output<typeof schema>;

export function loadGatewayConfig(env?: Environment): GatewayConfig {
  return loadConfig('gateway', schema, env);
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
