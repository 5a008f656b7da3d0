import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { FileView } from '@lexy/client-api';
import { EMPTY_SEND_STATE, newItem, type SendState, type UploadItem, UploadService } from '@lexy/client-state';
import { SendPage } from './send-page';

const done = (id: number, name: string, code: string): UploadItem => ({
  ...newItem(id, name),
  phase: 'done',
  percent: 100,
  file: { id: `f${id}`, code, shareUrl: `http://gw.test/p/${code}?t=x`, expiresAt: null } as unknown as FileView,
});

async function render(initial: Partial<SendState> = {}) {
  const state = signal<SendState>({ ...EMPTY_SEND_STATE, ...initial });
  const uploads = { state, add: vi.fn(), pause: vi.fn(), resume: vi.fn(), reset: vi.fn(), select: vi.fn() };
  TestBed.configureTestingModule({ providers: [{ provide: UploadService, useValue: uploads }] });
  const fixture = TestBed.createComponent(SendPage);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const update = async (next: Partial<SendState>) => {
    state.update((s) => ({ ...s, ...next }));
    await fixture.whenStable();
  };
  return { element, uploads, update, fixture };
}

/** A drag event carrying files, as the browser fires them (jsdom has no DragEvent of its own). */
function drag(type: string, files: File[]): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  const items = files.map((file) => ({ kind: 'file', getAsFile: () => file, webkitGetAsEntry: () => null }));
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, items, dropEffect: 'none' } });
  return event;
}

describe('SendPage', () => {
  it('says which unfinished uploads can be resumed, and how far they came', async () => {
    const { element } = await render({
      remembered: [
        { key: 'k1', fileName: 'film.mov', percent: 40 },
        { key: 'k2', fileName: 'notes.txt', percent: null },
      ],
    });
    const notice = element.querySelector('[role="status"]')!;
    expect(notice.textContent).toContain('Choose the same file to resume “film.mov” (40% uploaded).');
    expect(notice.textContent).toContain('Choose the same file to resume “notes.txt”.');
  });

  it('says nothing of resuming when nothing is remembered', async () => {
    const { element } = await render();
    expect(element.textContent).not.toContain('Choose the same file to resume');
    expect(element.querySelector('input[type="file"]')!.hasAttribute('multiple')).toBe(true);
  });

  it('shows where a resumed upload takes up again', async () => {
    const { element } = await render({
      items: [{ ...newItem(1, 'film.mov'), phase: 'uploading', percent: 40, resumedAtPercent: 40 }],
    });
    expect(element.textContent).toContain('Resuming at 40%');
    expect(element.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('40');
  });

  it('lights up while files are dragged over the page and queues the dropped ones', async () => {
    const { element, uploads, fixture } = await render();
    const area = element.querySelector<HTMLElement>('.send-area')!;
    const a = new File(['a'], 'a.txt');
    const b = new File(['b'], 'b.txt');

    const enter = drag('dragenter', [a, b]);
    area.dispatchEvent(enter);
    await fixture.whenStable();
    expect(enter.defaultPrevented).toBe(true);
    expect(area.classList).toContain('dragging');

    const drop = drag('drop', [a, b]);
    element.querySelector('.drop-zone')!.dispatchEvent(drop);
    await fixture.whenStable();
    expect(drop.defaultPrevented).toBe(true);
    expect(area.classList).not.toContain('dragging');
    expect(uploads.add).toHaveBeenCalledWith([a, b], { pin: undefined, downloadLimit: null });
  });

  it('lets a drag of something else pass by', async () => {
    const { element, uploads } = await render();
    const area = element.querySelector<HTMLElement>('.send-area')!;
    const event = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { types: ['text/plain'], files: [], items: [] } });
    area.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
    expect(uploads.add).not.toHaveBeenCalled();
  });

  it('shows one file’s code as always: one region, no count', async () => {
    const { element } = await render({ items: [done(1, 'a.txt', '7K3M9Q')], selectedId: 1 });
    const regions = element.querySelectorAll('section.result');
    expect(regions).toHaveLength(1);
    expect(regions[0]!.querySelector('.code-label')!.textContent!.trim()).toBe('Your pickup code');
    expect(regions[0]!.querySelector('h2')!.textContent).toBe('7K3 M9Q');
    expect(element.textContent).not.toContain('files sent');
    expect(element.querySelector('input[type="file"]')).toBeNull();
  });

  it('lists several files with their states, a count, and a QR code for the one asked for', async () => {
    const { element, uploads, update } = await render({
      items: [
        done(1, 'a.txt', 'AAAAAA'),
        { ...newItem(2, 'b.txt'), phase: 'uploading', percent: 12 },
        newItem(3, 'c.txt'),
      ],
      selectedId: 1,
    });
    expect(element.querySelector('.summary')!.textContent).toContain('1 of 3 files sent');
    expect(element.querySelector('.code-label')!.textContent).toContain('Your pickup code for a.txt');
    expect(element.textContent).toContain('Uploading b.txt');
    expect(element.querySelector('.waiting')!.textContent).toContain('c.txt');
    expect(element.querySelector('button.send-more, button[aria-label^="Show QR"]')).toBeNull();

    await update({
      items: [done(1, 'a.txt', 'AAAAAA'), done(2, 'b.txt', 'BBBBBB'), done(3, 'c.txt', 'CCCCCC')],
    });
    expect(element.querySelector('.summary')!.textContent).toContain('3 of 3 files sent');
    const showQr = element.querySelector<HTMLButtonElement>('button[aria-label="Show QR code of b.txt"]')!;
    expect(element.querySelector('button[aria-label="Show QR code of a.txt"]')).toBeNull();
    showQr.click();
    expect(uploads.select).toHaveBeenCalledWith(2);
    expect(Array.from(element.querySelectorAll('button')).map((b) => b.textContent!.trim())).toContain(
      'Send more files',
    );
  });
});
