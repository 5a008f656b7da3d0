import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { formatBytes } from '@lexy/client-api';
import { PickupService } from '@lexy/client-state';

@Component({
  selector: 'lexy-pickup-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './pickup-page.html',
  styleUrl: './pickup-page.css',
})
export class PickupPage {
  private readonly pickup = inject(PickupService);
  /** From the share link's route `/p/:code?t=<token>`. */
  readonly code = input<string>();
  readonly t = input<string>();

  protected readonly state = this.pickup.state;
  protected readonly codeInput = signal('');
  protected readonly pinInput = signal('');
  protected readonly size = computed(() => formatBytes(this.state().file?.size ?? 0));
  protected readonly expires = computed(() => {
    const expiresAt = this.state().file?.expiresAt;
    return expiresAt ? new Date(expiresAt).toLocaleString() : null;
  });

  constructor() {
    effect(() => {
      const code = this.code();
      if (!code) return;
      const token = this.t() ?? null;
      // Untracked: the lookup reads and writes the pickup state, which must not re-run this effect.
      untracked(() => {
        this.codeInput.set(code);
        void this.pickup.find(code, token);
      });
    });
  }

  protected find(event: Event): void {
    event.preventDefault();
    void this.pickup.find(this.codeInput());
  }

  protected unlock(event: Event): void {
    event.preventDefault();
    void this.pickup.unlock(this.pinInput());
  }

  protected download(event: Event): void {
    // Without a PIN or a challenge the link downloads by itself (streamed by the browser).
    if (!this.pickup.needsDownloadPass()) return;
    event.preventDefault();
    void this.pickup.download();
  }
}
