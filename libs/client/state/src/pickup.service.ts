import { Injectable, inject, signal } from '@angular/core';
import { ApiError, normalizePickupCode, withPickupChallenge, type PickupFileView } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';
import { PICKUP_CHALLENGE_SOLVER } from './pickup-challenge.solver';
import { FileSaver } from './save-file';

export interface PickupState {
  phase: 'idle' | 'looking' | 'found' | 'needs-pin';
  code: string | null;
  token: string | null;
  pin: string | null;
  file: PickupFileView | null;
  downloadUrl: string | null;
  error: string | null;
  /** A proof-of-work challenge is being solved ("Checking your browser…"). */
  checking: boolean;
  /**
   * The lookup had to solve a challenge: the download will be asked for one too, and a plain
   * link cannot send its header, so it goes through a download pass like a PIN-protected one.
   */
  challenged: boolean;
}

const IDLE: PickupState = {
  phase: 'idle',
  code: null,
  token: null,
  pin: null,
  file: null,
  downloadUrl: null,
  error: null,
  checking: false,
  challenged: false,
};

/** Looking a pickup code up, asking for the PIN when the file has one, and downloading it. */
@Injectable({ providedIn: 'root' })
export class PickupService {
  private readonly api = inject(API_CLIENT);
  private readonly solve = inject(PICKUP_CHALLENGE_SOLVER);
  private readonly saver = inject(FileSaver);
  readonly state = signal<PickupState>(IDLE);

  async find(input: string, token: string | null = null): Promise<void> {
    const code = normalizePickupCode(input);
    if (!code) {
      this.state.set({ ...IDLE, error: describeErrorLocalized(new ApiError(404, 'PICKUP_CODE_NOT_FOUND', '')) });
      return;
    }
    this.state.set({ ...IDLE, phase: 'looking', code, token });
    await this.lookUp(null);
  }

  async unlock(pin: string): Promise<void> {
    await this.lookUp(pin.trim());
  }

  /**
   * Whether the download needs a pass: a PIN travels only in the X-Pickup-Pin header, a solved
   * challenge only in X-Pickup-Challenge, and a plain link sends neither. Otherwise the link
   * itself downloads.
   */
  needsDownloadPass(): boolean {
    const { pin, challenged } = this.state();
    return pin !== null || challenged;
  }

  /**
   * Saves the file through FileSaver: with a single-use download pass when the PIN (or a solved
   * challenge) is needed, else by its plain link. The file goes by its URL, so even a large one
   * is streamed to disk by the browser or the device, never held in the page.
   */
  async download(): Promise<void> {
    const { code, token, pin, file, downloadUrl } = this.state();
    if (!code || !file) return;
    try {
      if (!this.needsDownloadPass() && downloadUrl) {
        await this.saver.saveFromUrl(downloadUrl, file.name);
        return;
      }
      const { pass } = await this.withChallenge((challenge) => this.api.downloadPass(code, { token, pin, challenge }));
      await this.saver.saveFromUrl(this.api.passDownloadUrl(code, pass), file.name);
    } catch (error) {
      this.state.update((state) => ({ ...state, error: describeErrorLocalized(error) }));
    }
  }

  /** A pickup request, solving a proof-of-work challenge in the background when the gateway asks for one. */
  private withChallenge<T>(request: (challenge: string | null) => Promise<T>): Promise<T> {
    return withPickupChallenge(request, {
      solve: (challenge) => {
        this.state.update((state) => ({ ...state, challenged: true }));
        return this.solve(challenge);
      },
      onSolving: (checking) => this.state.update((state) => ({ ...state, checking })),
    });
  }

  private async lookUp(pin: string | null): Promise<void> {
    const { code, token } = this.state();
    if (!code) return;
    try {
      const { file } = await this.withChallenge((challenge) => this.api.pickup(code, { token, pin, challenge }));
      this.state.update((state) => ({
        ...state,
        phase: 'found',
        pin,
        file,
        downloadUrl: this.api.pickupDownloadUrl(code, token),
        error: null,
      }));
    } catch (error) {
      const pinAsked = error instanceof ApiError && (error.code === 'PIN_REQUIRED' || error.code === 'PIN_INVALID');
      this.state.update((state) => ({
        ...state,
        phase: pinAsked ? 'needs-pin' : 'idle',
        // Being asked for the PIN the first time is no error; a wrong PIN is.
        error: pinAsked && pin === null ? null : describeErrorLocalized(error),
      }));
    }
  }
}
