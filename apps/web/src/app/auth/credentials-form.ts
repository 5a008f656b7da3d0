import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { AccountService } from '@lexy/client-state';

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The email and password form of both sign-in and account creation, with the account's error
 * in plain words; the page projects its own submit label.
 */
@Component({
  selector: 'lexy-credentials-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './credentials-form.html',
})
export class CredentialsForm {
  protected readonly account = inject(AccountService);
  /** Makes the fields' ids unique on the page (`<prefix>-email`, `<prefix>-password`). */
  readonly idPrefix = input.required<string>();
  /** A new password (the browser offers to make one) rather than the current one. */
  readonly newPassword = input(false);
  readonly submitted = output<Credentials>();
  protected readonly email = signal('');
  protected readonly password = signal('');

  protected submit(event: Event): void {
    event.preventDefault();
    this.submitted.emit({ email: this.email().trim(), password: this.password() });
  }
}
