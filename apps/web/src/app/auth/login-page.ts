import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { ApiError } from '@lexy/client-api';
import { AccountService, describeErrorLocalized, SessionStore } from '@lexy/client-state';
import { CredentialsForm, type Credentials } from './credentials-form';

@Component({
  selector: 'lexy-login-page',
  imports: [RouterLink, CredentialsForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login-page.html',
})
export class LoginPage {
  private readonly account = inject(AccountService);
  private readonly router = inject(Router);
  private readonly session = inject(SessionStore);
  /** Why the server signed this page out (a disabled account, an ended session), in plain words. */
  protected readonly ended = computed(() => {
    const reason = this.session.endedBecause();
    return reason ? describeErrorLocalized(new ApiError(0, reason, '')) : null;
  });

  protected async signIn(credentials: Credentials): Promise<void> {
    if (await this.account.signIn(credentials)) await this.router.navigateByUrl('/files');
  }
}
