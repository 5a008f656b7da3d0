import { createConnection, type RowDataPacket } from 'mysql2/promise';

/** The browser suite's own files database (global-setup.mjs exports its name). */
function filesDatabase(): string {
  const name = process.env['WEB_E2E_FILES_DATABASE'];
  if (!name) throw new Error('WEB_E2E_FILES_DATABASE is not set: run the tests through the web-e2e global setup');
  return name;
}

async function query<T>(sql: string, values: unknown[]): Promise<T[]> {
  const connection = await createConnection({
    host: process.env['MYSQL_HOST'] ?? '127.0.0.1',
    port: Number(process.env['MYSQL_PORT'] ?? 3306),
    user: process.env['MYSQL_USER'] ?? 'root',
    password: process.env['MYSQL_PASSWORD'] ?? '',
    database: filesDatabase(),
  });
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql, values);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

const WEEK_SECONDS = 7 * 86_400;

/**
 * Ends a file's retention a second ago by the database clock, its redemption window (a week)
 * running from then, as if the time had passed (gateway-e2e lifecycle.e2e.spec.ts does the same).
 */
export async function endRetention(fileId: string): Promise<void> {
  await query(
    `UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND,
       purge_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ?`,
    [WEEK_SECONDS - 1, fileId],
  );
}

/** The row's own status ('active', 'expired', 'purging'), as the cleanup worker leaves it. */
export async function fileRowStatus(fileId: string): Promise<string | undefined> {
  const rows = await query<{ status: string }>('SELECT status FROM files WHERE id = ?', [fileId]);
  return rows[0]?.status;
}

/** Asks again until `done` says yes, within a generous bound (the machine is shared). */
export async function eventually<T>(ask: () => Promise<T>, done: (value: T) => boolean, boundMs = 30_000): Promise<T> {
  const until = Date.now() + boundMs;
  for (;;) {
    const value = await ask();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`still not there after ${boundMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
