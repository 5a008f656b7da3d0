import { Injectable, inject, signal } from '@angular/core';
import { ApiError, apiErrorFromResponse, normalizePickupCode, type PickupFileView } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';

export interface PickupState {
  phase: 'idle' | 'looking' | 'found' | 'needs-pin';
  code: string | null;
  token: string | null;
  pin: string | null;
  file: PickupFileView | null;
  downloadUrl: string | null;
  error: string | null;
}

const IDLE: PickupState = {
  phase: 'idle',
  code: null,
  token: null,
  pin: null,
  file: null,
  downloadUrl: null,
  error: null,
};

/** Looking a pickup code up, asking for the PIN when the file has one, and downloading it. */
@Injectable({ providedIn: 'root' })
export class PickupService {
  private readonly api = inject(API_CLIENT);
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
   * A PIN travels only in the X-Pickup-Pin header, which a plain link cannot send, so a
   * PIN-protected file is fetched here and handed to the browser as a blob. Files without a
   * PIN go through the link itself and stream straight to disk.
   */
  async downloadWithPin(): Promise<void> {
    const { code, token, pin, file, downloadUrl } = this.state();
    if (!code || !pin || !file || !downloadUrl) return;
    try {
      const response = await fetch(downloadUrl, { headers: { 'X-Pickup-Pin': pin } });
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => undefined);
        throw apiErrorFromResponse(response, body);
      }
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement('a'), { href: url, download: file.name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      this.state.update((state) => ({ ...state, error: describeErrorLocalized(error), token }));
    }
  }

  private async lookUp(pin: string | null): Promise<void> {
    const { code, token } = this.state();
    if (!code) return;
    try {
      const { file } = await this.api.pickup(code, { token, pin });
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
