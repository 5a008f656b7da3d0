import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular';
import { SessionStore } from '@lexy/client-state';
import { SERVER_URL } from '../platform/server-url.token';
import { HEALTH_FETCH, SettingsPage } from './settings-page';
import { ServerSwitch } from './server-switch';

const healthy = () => Promise.resolve(new Response(JSON.stringify({ status: 'ok', details: {} }), { status: 200 }));

async function render(current: string | null, fetchImpl: () => Promise<Response>) {
  localStorage.clear();
  const serverSwitch = { save: vi.fn(async () => undefined), restart: vi.fn() };
  const session = { signOut: vi.fn(async () => undefined) };
  const fetchSpy = vi.fn(fetchImpl);
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter([]),
      { provide: SERVER_URL, useValue: current },
      { provide: HEALTH_FETCH, useValue: fetchSpy },
      { provide: ServerSwitch, useValue: serverSwitch },
      { provide: SessionStore, useValue: session },
    ],
  });
  const fixture = TestBed.createComponent(SettingsPage);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const byTestId = (id: string) => element.querySelector<HTMLElement & { disabled?: boolean }>(`[data-testid="${id}"]`);
  const type = async (value: string) => {
    byTestId('server-url')!.dispatchEvent(new CustomEvent('ionInput', { detail: { value } }));
    await fixture.whenStable();
  };
  const check = async () => {
    element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await fixture.whenStable();
  };
  const save = async () => {
    byTestId('save-server')!.click();
    await fixture.whenStable();
  };
  return { element, byTestId, type, check, save, serverSwitch, session, fetchSpy };
}

describe('SettingsPage', () => {
  it('on a phone without a server says so, and saves only after a successful check', async () => {
    const page = await render(null, healthy);
    expect(page.byTestId('current-server')!.textContent).toContain('No server is chosen yet');
    await page.type('files.example.org');
    expect(page.byTestId('save-server')!.disabled).toBe(true);

    await page.check();
    expect(page.fetchSpy).toHaveBeenCalledWith('https://files.example.org/api/v1/health', expect.anything());
    expect(page.byTestId('server-check')!.getAttribute('role')).toBe('status');
    expect(page.byTestId('save-server')!.disabled).toBe(false);

    await page.save();
    expect(page.serverSwitch.save).toHaveBeenCalledWith('https://files.example.org');
    expect(page.session.signOut).toHaveBeenCalled();
    expect(page.serverSwitch.restart).toHaveBeenCalled();
  });

  it('shows the current server, and forgets a check once the address is edited', async () => {
    const page = await render('https://old.example.org', healthy);
    expect(page.byTestId('current-server')!.textContent!.trim()).toBe('This app uses https://old.example.org');
    // "new.example.org" is no URL to a browser: its validation must not stop the check.
    expect(page.element.querySelector('form')!.noValidate).toBe(true);
    await page.type('new.example.org');
    await page.check();
    expect(page.byTestId('save-server')!.disabled).toBe(false);

    await page.type('new.example.org/x');
    expect(page.byTestId('save-server')!.disabled).toBe(true);
    expect(page.byTestId('server-check')).toBeNull();
    await page.save();
    expect(page.serverSwitch.save).not.toHaveBeenCalled();
  });

  it('keeps Save off and alerts when the server cannot be reached', async () => {
    const page = await render('https://old.example.org', () => Promise.reject(new TypeError('Failed to fetch')));
    await page.type('nowhere.example.org');
    await page.check();
    const result = page.byTestId('server-check')!;
    expect(result.getAttribute('role')).toBe('alert');
    expect(result.textContent!.trim()).toBe(
      'Cannot reach https://nowhere.example.org. Check the address and your connection.',
    );
    expect(page.byTestId('save-server')!.disabled).toBe(true);
  });

  it('keeps the session when the same server is saved again', async () => {
    const page = await render('https://files.example.org', healthy);
    await page.check();
    await page.save();
    expect(page.serverSwitch.save).toHaveBeenCalledWith('https://files.example.org');
    expect(page.session.signOut).not.toHaveBeenCalled();
    expect(page.serverSwitch.restart).toHaveBeenCalled();
  });
});
