import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import type { AuditEntryView } from '@lexy/client-api';
import { ADMIN_API, AdminErrors } from '../admin-api';
import { PagedList } from '../shared/paged-list';
import { Pager } from '../shared/pager';
import { actionName, changeLines } from './audit-view';

export const AUDIT_PAGE_SIZE = 50;

/** The append-only log of admin actions, newest first. */
@Component({
  selector: 'lexy-admin-audit-page',
  imports: [DatePipe, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit-page.html',
  styleUrls: ['../shared/admin-table.css', './audit-page.css'],
})
export class AuditPage {
  private readonly api = inject(ADMIN_API);
  private readonly errors = inject(AdminErrors);
  protected readonly actionName = actionName;
  protected readonly changeLines = changeLines;
  protected readonly list = new PagedList<AuditEntryView>(
    (cursor) => this.api.audit({ limit: AUDIT_PAGE_SIZE, cursor }),
    (error) => this.errors.describe(error),
  );

  constructor() {
    void this.list.first();
  }
}
