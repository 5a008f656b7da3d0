// One benchmark run alone, on a platform of its own: built apps, fresh databases under `prefix`,
// a temporary S3 data folder, and pickup-limiter keys of this run only (the one Redis may hold
// other platforms' failures from 127.0.0.1). `bench(platform, admin)` gets the platform and a
// MySQL connection as root; everything is stopped and removed after it.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { buildAll } from '../dev/build.mjs';
import { SERVICES, startPlatform } from '../platform/platform.mjs';

/**
 * The platform's log lines (V8's --trace-gc output included) go to BENCH_LOG_FILE when it is set,
 * and nowhere otherwise: a benchmark prints only its results.
 */
function keptLog(file) {
  if (!file) return () => undefined;
  return (name, line) => appendFileSync(file, `${name} ${line}\n`);
}

export async function runStandalone({ prefix, ports, env = {} }, bench) {
  // BENCH_NO_BUILD=1 measures the apps as last built (while another change does not build yet).
  if (!process.env.BENCH_NO_BUILD) buildAll();
  const admin = await createConnection({ host: '127.0.0.1', user: 'root', password: process.env.MYSQL_PASSWORD ?? '' });
  for (const db of SERVICES) await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${db}`);
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-s3-`));
  const platform = await startPlatform({
    ports,
    databasePrefix: prefix,
    dataDir,
    base: { ...process.env, PICKUP_REDIS_PREFIX: `lexy:bench:${Date.now().toString(36)}:pickup:`, ...env },
    log: keptLog(process.env.BENCH_LOG_FILE),
  });
  try {
    await bench(platform, admin);
  } finally {
    await platform.stop();
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
