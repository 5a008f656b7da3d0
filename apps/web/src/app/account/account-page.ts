import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MyAccountService, SessionStore } from '@lexy/client-state';
import { groupName, limitRows, storageUsage, trafficUsage } from './account-view';

/** "Account": who is signed in, the group's limits, and meters of storage and traffic. */
@Component({
  selector: 'lexy-account-page',
  imports: [DatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './account-page.html',
  styleUrl: './account-page.css',
  providers: [MyAccountService],
})
export class AccountPage {
  private readonly account = inject(MyAccountService);
  protected readonly signedIn = inject(SessionStore).signedIn;
  protected readonly state = this.account.state;

  protected readonly view = computed(() => {
    const me = this.state().me;
    if (!me) return null;
    return {
      user: me.user,
      group: groupName(me.user.group),
      limits: limitRows(me.quota.limits),
      storage: storageUsage(me),
      traffic: trafficUsage(me),
    };
  });

  constructor() {
    if (this.signedIn()) void this.account.load();
  }
}
