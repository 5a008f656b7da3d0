import { TestBed } from '@angular/core/testing';
import { settle } from '../testing/fake-uploads';
import { APP_PLUGIN, APP_WINDOW, AppForeground } from './app-foreground';

function setUp() {
  let appListener: ((state: { isActive: boolean }) => void) | null = null;
  const removed = vi.fn(async () => undefined);
  const app = {
    addListener: vi.fn(async (_event: string, listener: (state: { isActive: boolean }) => void) => {
      appListener = listener;
      return { remove: removed };
    }),
  };
  const events = new EventTarget();
  TestBed.configureTestingModule({
    providers: [
      { provide: APP_PLUGIN, useValue: app },
      { provide: APP_WINDOW, useValue: events },
    ],
  });
  return {
    foreground: TestBed.inject(AppForeground),
    setActive: (isActive: boolean) => appListener?.({ isActive }),
    goOnline: () => events.dispatchEvent(new Event('online')),
    app,
    removed,
  };
}

describe('AppForeground', () => {
  it('tells when the app comes back to the front or the device back online', async () => {
    const { foreground, setActive, goOnline, app } = setUp();
    const handler = vi.fn();
    foreground.watch(handler);
    await settle();

    expect(app.addListener).toHaveBeenCalledWith('appStateChange', expect.any(Function));
    setActive(false);
    expect(handler).not.toHaveBeenCalled();
    setActive(true);
    goOnline();
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('stops telling once stopped', async () => {
    const { foreground, setActive, goOnline, removed } = setUp();
    const handler = vi.fn();
    const stop = foreground.watch(handler);
    await settle();
    stop();
    await settle();

    setActive(true);
    goOnline();
    expect(handler).not.toHaveBeenCalled();
    expect(removed).toHaveBeenCalled();
  });
});
