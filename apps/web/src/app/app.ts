import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { DevicesService, SessionStore, SessionWatch } from '@lexy/client-state';

@Component({
  selector: 'lexy-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  /** The admin console's tables need the whole width; the other pages read best in a column. */
  protected readonly wide = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => /^\/admin(\/|\?|$)/.test(event.urlAfterRedirects)),
    ),
    { initialValue: false },
  );

  constructor() {
    // This browser is one of the account's devices whatever page is open: offers reach it anywhere.
    inject(DevicesService);
    // A session the server ended (a disabled account) is signed out on every page within seconds.
    inject(SessionWatch);
  }

  protected async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigateByUrl('/');
  }
}
