import { PagedList, type Page } from './paged-list';

const page = (items: string[], nextCursor: string | null): Page<string> => ({ items, nextCursor });

describe('PagedList', () => {
  it('pages forward with each next cursor and back through the ones it has seen', async () => {
    const pages: Record<string, Page<string>> = {
      first: page(['a', 'b'], 'c2'),
      c2: page(['c', 'd'], 'c3'),
      c3: page(['e'], null),
    };
    const fetchPage = vi.fn(async (cursor: string | undefined) => pages[cursor ?? 'first']!);
    const list = new PagedList(fetchPage, String);

    await list.first();
    expect([list.items(), list.pageNumber(), list.hasPrevious(), list.hasNext()]).toEqual([['a', 'b'], 1, false, true]);
    await list.next();
    await list.next();
    expect([list.items(), list.pageNumber(), list.hasNext()]).toEqual([['e'], 3, false]);
    await list.next(); // no further page: nothing asked
    expect(fetchPage).toHaveBeenCalledTimes(3);
    await list.previous();
    expect([list.items(), list.pageNumber()]).toEqual([['c', 'd'], 2]);
    expect(fetchPage).toHaveBeenLastCalledWith('c2');
    await list.first();
    expect([list.items(), list.pageNumber()]).toEqual([['a', 'b'], 1]);
  });

  it('drops an answer that arrives after a newer request’s', async () => {
    const answers: ((page: Page<string>) => void)[] = [];
    const list = new PagedList(() => new Promise<Page<string>>((resolve) => answers.push(resolve)), String);
    const older = list.first();
    const newer = list.first();
    answers[1]!(page(['new'], null));
    answers[0]!(page(['old'], null));
    await Promise.all([older, newer]);
    expect(list.items()).toEqual(['new']);
    expect(list.loading()).toBe(false);
  });

  it('keeps the page shown and says why when a page cannot be loaded', async () => {
    const fetchPage = vi.fn<(cursor: string | undefined) => Promise<Page<string>>>();
    fetchPage.mockResolvedValueOnce(page(['a'], 'c2')).mockRejectedValueOnce(new Error('offline'));
    const list = new PagedList(fetchPage, (error) => `failed: ${(error as Error).message}`);
    await list.first();
    await list.next();
    expect([list.items(), list.pageNumber(), list.error()]).toEqual([['a'], 1, 'failed: offline']);
  });
});
