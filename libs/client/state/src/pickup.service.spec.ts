import { TestBed } from '@angular/core/testing';
import { ApiError, type PickupAccess, type PickupChallenge } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { PICKUP_CHALLENGE_SOLVER } from './pickup-challenge.solver';
import { PickupService } from './pickup.service';
import { FileSaver } from './save-file';

const file = { name: 'report.pdf', size: 1_500_000, mimeType: 'application/pdf', expiresAt: null };
const challenge: PickupChallenge = {
  parameters: { algorithm: 'SHA-256', nonce: 'n1', salt: 's1', keyPrefix: 'ab', cost: 1, expiresAt: 1_900_000_000 },
  signature: 'sig',
};
const challengeRequired = () =>
  new ApiError(428, 'CHALLENGE_REQUIRED', '', { challenge, reason: 'missing', header: 'X-Pickup-Challenge' });
const decode = (header: string) => JSON.parse(atob(header)) as unknown;

function setUp(api: Record<string, unknown>, solve: (c: PickupChallenge) => Promise<unknown>) {
  TestBed.configureTestingModule({
    providers: [
      { provide: API_CLIENT, useValue: { pickupDownloadUrl: () => '/download', ...api } },
      { provide: PICKUP_CHALLENGE_SOLVER, useValue: solve },
    ],
  });
  return TestBed.inject(PickupService);
}

describe('PickupService and the proof-of-work challenge', () => {
  it('solves the challenge of a 428 in the background, says so meanwhile, and looks up again with it', async () => {
    let finish!: (solution: unknown) => void;
    const solve = vi.fn(() => new Promise((resolve) => (finish = resolve)));
    const pickup = vi.fn().mockRejectedValueOnce(challengeRequired()).mockResolvedValueOnce({ file });
    const service = setUp({ pickup }, solve);

    const found = service.find('ABC123');
    await vi.waitFor(() => expect(solve).toHaveBeenCalledWith(challenge));
    expect(service.state().checking).toBe(true);
    expect(service.state().error).toBeNull();

    finish({ counter: 7, derivedKey: 'ab00' });
    await found;
    expect(service.state()).toMatchObject({ phase: 'found', file, checking: false, challenged: true, error: null });
    const retried = pickup.mock.calls[1]![1] as PickupAccess;
    expect(decode(retried.challenge!)).toEqual({ challenge, solution: { counter: 7, derivedKey: 'ab00' } });
    expect(service.needsDownloadPass()).toBe(true);
  });

  it('solves nothing when no challenge is asked, and leaves the download to the link', async () => {
    const solve = vi.fn();
    const service = setUp({ pickup: vi.fn().mockResolvedValue({ file }) }, solve);
    await service.find('ABC123');
    expect(solve).not.toHaveBeenCalled();
    expect(service.state().challenged).toBe(false);
    expect(service.needsDownloadPass()).toBe(false);
  });

  it('shows the challenge in plain words when solving fails', async () => {
    const service = setUp({ pickup: vi.fn().mockRejectedValue(challengeRequired()) }, () =>
      Promise.reject(new Error('no')),
    );
    await service.find('ABC123');
    expect(service.state()).toMatchObject({ phase: 'idle', checking: false });
    expect(service.state().error).toContain('a quick check in your browser is needed');
  });

  it('asks for a download pass with a fresh solution and opens the link it unlocks', async () => {
    const pickup = vi.fn().mockRejectedValueOnce(challengeRequired()).mockResolvedValueOnce({ file });
    const downloadPass = vi
      .fn()
      .mockRejectedValueOnce(challengeRequired())
      .mockResolvedValueOnce({ pass: 'the-pass', expiresIn: 60 });
    const passDownloadUrl = vi.fn((code: string, pass: string) => `http://gw.test/${code}/download?pass=${pass}`);
    const solve = vi.fn().mockResolvedValue({ counter: 1, derivedKey: 'ab' });
    const service = setUp({ pickup, downloadPass, passDownloadUrl }, solve);
    const opened: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      opened.push(this.href);
    });

    await service.find('ABC123');
    await service.download();

    expect(solve).toHaveBeenCalledTimes(2);
    expect(downloadPass).toHaveBeenCalledTimes(2);
    expect(downloadPass.mock.calls[0]).toEqual(['ABC123', { token: null, pin: null, challenge: null }]);
    expect((downloadPass.mock.calls[1]![1] as PickupAccess).challenge).toBeTruthy();
    expect(opened).toEqual(['http://gw.test/ABC123/download?pass=the-pass']);
    expect(service.state().error).toBeNull();
    click.mockRestore();
  });

  it("hands a plain link to the platform's FileSaver when no pass is needed", async () => {
    const saved: [string, string][] = [];
    TestBed.configureTestingModule({
      providers: [
        {
          provide: API_CLIENT,
          useValue: { pickupDownloadUrl: () => 'http://gw.test/ABC123/download', pickup: async () => ({ file }) },
        },
        { provide: PICKUP_CHALLENGE_SOLVER, useValue: vi.fn() },
        { provide: FileSaver, useValue: { saveFromUrl: (url: string, name: string) => void saved.push([url, name]) } },
      ],
    });
    const service = TestBed.inject(PickupService);
    await service.find('ABC123');
    expect(service.needsDownloadPass()).toBe(false);
    await service.download();
    expect(saved).toEqual([['http://gw.test/ABC123/download', 'report.pdf']]);
  });
});
