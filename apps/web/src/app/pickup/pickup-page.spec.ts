import { TestBed } from '@angular/core/testing';
import { ApiError, type ApiClient } from '@lexy/client-api';
import { API_CLIENT, PICKUP_CHALLENGE_SOLVER } from '@lexy/client-state';
import { PickupPage } from './pickup-page';

const file = { name: 'report.pdf', size: 1_500_000, mimeType: 'application/pdf', expiresAt: '2030-01-01T00:00:00Z' };

async function render(
  pickup: ApiClient['pickup'],
  route: { code?: string; t?: string } = {},
  solve: () => Promise<unknown> = () => Promise.reject(new Error('no challenge expected')),
) {
  const api = { pickup, pickupDownloadUrl: (code: string) => `/api/v1/files/pickup/${code}/download` };
  TestBed.configureTestingModule({
    providers: [
      { provide: API_CLIENT, useValue: api },
      { provide: PICKUP_CHALLENGE_SOLVER, useValue: solve },
    ],
  });
  const fixture = TestBed.createComponent(PickupPage);
  for (const [name, value] of Object.entries(route)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const type = (selector: string, value: string) => {
    const input = element.querySelector<HTMLInputElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = async (selector: string) => {
    element.querySelector<HTMLFormElement>(selector)!.requestSubmit();
    await fixture.whenStable();
  };
  return { element, type, submit, fixture };
}

describe('PickupPage', () => {
  it('looks a share link’s code up once, with its token, and shows the file', async () => {
    const pickup = vi.fn().mockResolvedValue({ file });
    const { element } = await render(pickup, { code: 'abc123', t: 'link-token' });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(pickup).toHaveBeenCalledTimes(1);
    expect(pickup).toHaveBeenCalledWith('ABC123', { token: 'link-token', pin: null, challenge: null });
    expect(element.querySelector('h2')!.textContent).toContain('report.pdf');
  });

  it('reads a forgiving code, then shows the file and its download link', async () => {
    const pickup = vi.fn().mockResolvedValue({ file });
    const { element, type, submit } = await render(pickup);
    type('#pickup-code', ' abc-l2o ');
    await submit('form.lookup');

    expect(pickup).toHaveBeenCalledWith('ABC120', { token: null, pin: null, challenge: null });
    expect(element.querySelector('h2')!.textContent).toContain('report.pdf');
    expect(element.textContent).toContain('1.5 MB');
    const link = element.querySelector<HTMLAnchorElement>('a.download')!;
    expect(link.getAttribute('href')).toBe('/api/v1/files/pickup/ABC120/download');
    expect(link.getAttribute('download')).toBe('report.pdf');
  });

  it('shows an unknown code in plain words in an alert', async () => {
    const pickup = vi.fn().mockRejectedValue(new ApiError(404, 'PICKUP_CODE_NOT_FOUND', 'nope'));
    const { element, type, submit } = await render(pickup);
    type('#pickup-code', 'ZZZ999');
    await submit('form.lookup');
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('No file has this code');
  });

  it('tells when to retry after too many attempts', async () => {
    const pickup = vi.fn().mockRejectedValue(new ApiError(429, 'RATE_LIMITED', '', { limit: 'per-minute' }, 42));
    const { element, type, submit } = await render(pickup);
    type('#pickup-code', 'ABC123');
    await submit('form.lookup');
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('try again in 42 s');
  });

  it('asks for the PIN, then unlocks with it', async () => {
    const pickup = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(401, 'PIN_REQUIRED', ''))
      .mockResolvedValueOnce({ file });
    const { element, type, submit } = await render(pickup);
    type('#pickup-code', 'ABC123');
    await submit('form.lookup');
    expect(element.querySelector('[role="alert"]')).toBeNull();
    type('#pickup-pin', '123456');
    await submit('form.pin');

    expect(pickup).toHaveBeenLastCalledWith('ABC123', { token: null, pin: '123456', challenge: null });
    expect(element.querySelector('h2')!.textContent).toContain('report.pdf');
  });

  it('says “Checking your browser…” in a polite status while a challenge is solved, then shows the file', async () => {
    const challenge = { parameters: { algorithm: 'SHA-256', nonce: 'n', salt: 's', keyPrefix: 'ab' } };
    const pickup = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(428, 'CHALLENGE_REQUIRED', '', { challenge }))
      .mockResolvedValueOnce({ file });
    let finish!: (solution: unknown) => void;
    const { element, type, fixture } = await render(pickup, {}, () => new Promise((resolve) => (finish = resolve)));
    const status = element.querySelector('[role="status"]')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent!.trim()).toBe('');

    type('#pickup-code', 'ABC123');
    element.querySelector<HTMLFormElement>('form.lookup')!.requestSubmit();
    await vi.waitFor(() => {
      fixture.detectChanges();
      expect(status.textContent!.trim()).toBe('Checking your browser…');
    });
    finish({ counter: 1, derivedKey: 'ab' });
    await vi.waitFor(() => {
      fixture.detectChanges();
      expect(element.querySelector('h2')?.textContent).toContain('report.pdf');
    });
    expect(status.textContent!.trim()).toBe('');
    expect(element.querySelector('[role="alert"]')).toBeNull();
  });
});
