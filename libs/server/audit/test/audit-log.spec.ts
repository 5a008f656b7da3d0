import { randomBytes } from 'node:crypto';
import { dropDatabase, mysqlDataSourceOptions, runMigrations } from '@lexy/server-database';
import { runWithRequestContext } from '@lexy/server-logging';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { appendAudit, AuditEntrySchema, createAuditLogTable, dropAuditLogTable, listAudit } from '../src/index.js';

class CreateAuditLog1700000000000 implements MigrationInterface {
  name = 'CreateAuditLog1700000000000';
  up(runner: QueryRunner) {
    return createAuditLogTable(runner);
  }
  down(runner: QueryRunner) {
    return dropAuditLogTable(runner);
  }
}

// Against the real MariaDB/MySQL on 127.0.0.1:3306, in a database of its own.
const config = {
  host: process.env['MYSQL_HOST'] ?? '127.0.0.1',
  port: Number(process.env['MYSQL_PORT'] ?? 3306),
  user: process.env['MYSQL_USER'] ?? 'root',
  password: process.env['MYSQL_PASSWORD'] ?? '',
  database: `lexy_test_audit_${randomBytes(4).toString('hex')}`,
};
const schema = { entities: [AuditEntrySchema], migrations: [CreateAuditLog1700000000000] };
let dataSource: DataSource;

beforeAll(async () => {
  await runMigrations(config, schema);
  dataSource = await new DataSource(mysqlDataSourceOptions(config, schema)).initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await dropDatabase(config);
});

describe('audit log', () => {
  it('records actor, action, target, before/after and the request id, newest first in pages', async () => {
    const base = Date.UTC(2026, 11, 1, 12);
    await runWithRequestContext({ requestId: 'req-1' }, async () => {
      for (let i = 0; i < 5; i++) {
        await dataSource.transaction((manager) =>
          appendAudit(
            manager,
            { actorId: 'admin-1', action: 'group.update', target: 'group:vip', before: { n: i }, after: { n: i + 1 } },
            new Date(base + (i % 2) * 1000),
          ),
        );
      }
    });

    const first = await listAudit(dataSource.manager, 2, '');
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toMatchObject({
      actorId: 'admin-1',
      action: 'group.update',
      target: 'group:vip',
      requestId: 'req-1',
    });
    expect(JSON.parse(first.items[0]!.afterJson)).toHaveProperty('n');
    const seen = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await listAudit(dataSource.manager, 2, cursor);
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(5);
    const order = seen.map((entry) => [entry.at.getTime(), entry.id].join('|'));
    expect(order).toEqual([...order].sort().reverse());
  });

  it('refuses UPDATE and DELETE: the log is append-only', async () => {
    await appendAudit(dataSource.manager, { actorId: 'admin-1', action: 'file.delete', target: 'file:x' });
    await expect(dataSource.query("UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(/append-only/);
    await expect(dataSource.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('refuses a cursor it did not give out', async () => {
    await expect(listAudit(dataSource.manager, 2, 'not-a-cursor')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
