// What the end-to-end suites do before they start a platform of their own: drop its databases
// (`${prefix}_${service}`, the migrations make them again) and delete the Redis keys an earlier
// run left under the given patterns, so nothing of that run counts again.
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { SERVICES } from './platform.mjs';

/** Drops every service database of `prefix` and deletes the Redis keys matching each of `redisPatterns`. */
export async function freshInstance(prefix, redisPatterns) {
  const connection = await createConnection({
    host: process.env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.MYSQL_PORT ?? 3306),
    user: process.env.MYSQL_USER ?? 'root',
    password: process.env.MYSQL_PASSWORD ?? '',
  });
  for (const db of SERVICES) await connection.query(`DROP DATABASE IF EXISTS ${prefix}_${db}`);
  await connection.end();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  for (const pattern of redisPatterns) {
    for await (const keys of redis.scanStream({ match: pattern, count: 1000 })) {
      if (keys.length > 0) await redis.del(...keys);
    }
  }
  redis.disconnect();
}
