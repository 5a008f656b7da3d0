import { TestBed } from '@angular/core/testing';
import type { StatsView } from '@lexy/client-api';
import { adminTestBed, settle } from '../shared/testing';
import { OverviewPage } from './overview-page';

function stats(): StatsView {
  const series = Array.from({ length: 30 }, (_, index) => ({
    day: `2026-04-${String(index + 1).padStart(2, '0')}`,
    uploads: index === 9 ? 17 : 1,
    uploadBytes: 1_000_000,
    downloadBytes: index === 29 ? 5_000_000_000 : 0,
    newUsers: 0,
  }));
  return { users: 1234, files: 56, storageBytes: 7_500_000_000, trafficBytes: { today: 5e9, month: 12e9 }, series };
}

describe('OverviewPage', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the numbers, and each chart’s 30 days as a summary and a table', async () => {
    // jsdom draws no canvas: the charts' text alternatives are what is left to check.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    const api = { stats: vi.fn(async () => stats()) };
    adminTestBed(api);
    const fixture = TestBed.createComponent(OverviewPage);
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;

    const facts = [...element.querySelectorAll('.fact')].map(
      (fact) => `${fact.querySelector('dt')!.textContent!.trim()} ${fact.querySelector('dd')!.textContent!.trim()}`,
    );
    expect(facts).toEqual([
      'Accounts 1234',
      'Files stored 56',
      'Storage used 7.5 GB',
      'Downloaded today 5 GB',
      'Downloaded this month 12 GB',
    ]);

    const figures = [...element.querySelectorAll('figure')];
    expect(figures.map((figure) => figure.querySelector('h2')!.textContent)).toEqual([
      'Uploads and new accounts per day',
      'Bytes stored per day',
      'Download traffic per day',
    ]);
    const canvases = figures.map((figure) => figure.querySelector('canvas')!);
    expect(canvases.every((canvas) => canvas.getAttribute('role') === 'img')).toBe(true);
    expect(canvases[0]!.getAttribute('aria-label')).toBe(
      'Uploads and new accounts per day, last 30 days: Uploads 46 in all, most on Apr 10 (17); New accounts none.',
    );
    expect(canvases[2]!.getAttribute('aria-label')).toBe(
      'Download traffic per day, last 30 days: Bytes downloaded 5 GB in all, most on Apr 30 (5 GB).',
    );
    const table = figures[1]!.querySelector('table')!;
    expect(table.querySelectorAll('tbody tr')).toHaveLength(30);
    const cells = [...table.querySelector('tbody tr')!.children].map((cell) => cell.textContent!.trim());
    expect(cells).toEqual(['Apr 1, 2026', '1 MB']);
  });
});
