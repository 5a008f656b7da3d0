import { toTimestamp, type commonV1 } from '@lexy/contracts-grpc';
import { decodeKeysetCursor } from '@lexy/server-database/keyset-cursor';
import { mergeAuditPages, type AuditPage } from './audit-merge.js';

const entry = (id: string, atMs: number): commonV1.AuditEntry => ({
  id,
  at: toTimestamp(new Date(atMs)),
  actorId: 'admin',
  action: 'group.update',
  target: 'group:vip',
  beforeJson: '{}',
  afterJson: '{}',
  detailsJson: '{}',
  requestId: '',
});

/** A service's log, newest first, paged as listAudit pages it. */
function serviceLog(entries: commonV1.AuditEntry[]) {
  const sorted = [...entries].sort(
    (a, b) => b.at!.seconds - a.at!.seconds || b.at!.nanos - a.at!.nanos || (a.id < b.id ? 1 : -1),
  );
  return (limit: number, cursor: string | null): AuditPage => {
    const after = cursor ? decodeKeysetCursor(cursor) : null;
    const rest = after
      ? sorted.filter((e) => {
          const at = e.at!.seconds * 1000 + e.at!.nanos / 1e6;
          return at < after.createdAt.getTime() || (at === after.createdAt.getTime() && e.id < after.id);
        })
      : sorted;
    return { items: rest.slice(0, limit), nextCursor: rest.length > limit ? 'more' : '' };
  };
}

describe('mergeAuditPages', () => {
  it('pages through three services’ logs as one log, newest first, each entry once', () => {
    const id = (n: number) => `0190000${n.toString().padStart(1, '0')}-0000-7000-8000-000000000000`;
    const logs = [
      serviceLog([entry(id(1), 1000), entry(id(4), 4000), entry(id(7), 7000)]),
      serviceLog([entry(id(2), 2000), entry(id(5), 4000), entry(id(8), 8000)]),
      serviceLog([entry(id(3), 3000), entry(id(6), 6000)]),
    ];
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = mergeAuditPages(
        logs.map((log) => log(3, cursor)),
        3,
      );
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen).toEqual([id(8), id(7), id(6), id(5), id(4), id(3), id(2), id(1)]);
    expect(pages).toBe(3);
  });

  it('ends with a null cursor when nothing is left', () => {
    expect(mergeAuditPages([{ items: [entry('a', 1)], nextCursor: '' }], 5)).toMatchObject({ nextCursor: null });
    expect(mergeAuditPages([], 5)).toEqual({ items: [], nextCursor: null });
  });
});
