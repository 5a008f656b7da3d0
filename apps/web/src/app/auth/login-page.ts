import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AccountService } from '../core/account.service';
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

  protected async signIn(credentials: Credentials): Promise<void> {
    if (await this.account.signIn(credentials)) await this.router.navigateByUrl('/files');
  }
}
