import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AccountService } from '../core/account.service';

@Component({
  selector: 'lexy-login-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login-page.html',
})
export class LoginPage {
  protected readonly account = inject(AccountService);
  private readonly router = inject(Router);
  protected readonly email = signal('');
  protected readonly password = signal('');

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const ok = await this.account.signIn({ email: this.email().trim(), password: this.password() });
    if (ok) await this.router.navigateByUrl('/files');
  }
}
