import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AccountService } from '@lexy/client-state';
import { CredentialsForm, type Credentials } from './credentials-form';

@Component({
  selector: 'lexy-register-page',
  imports: [RouterLink, CredentialsForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './register-page.html',
})
export class RegisterPage {
  private readonly account = inject(AccountService);
  private readonly router = inject(Router);

  protected async register(credentials: Credentials): Promise<void> {
    if (await this.account.register(credentials)) await this.router.navigateByUrl('/files');
  }
}
