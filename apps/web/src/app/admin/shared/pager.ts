import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { PagedList } from './paged-list';

/** Previous and Next through a PagedList, and which page is shown. */
@Component({
  selector: 'lexy-admin-pager',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      class="secondary"
      [disabled]="!list().hasPrevious() || list().loading()"
      (click)="list().previous()"
      i18n="@@admin.previous"
    >
      Previous
    </button>
    <span i18n="@@admin.pageNumber">Page {{ list().pageNumber() }}</span>
    <button
      type="button"
      class="secondary"
      [disabled]="!list().hasNext() || list().loading()"
      (click)="list().next()"
      i18n="@@admin.next"
    >
      Next
    </button>
  `,
  styles: `
    :host {
      display: flex;
      gap: 0.75rem;
      align-items: center;
      margin-top: 1rem;
    }
  `,
})
export class Pager {
  readonly list = input.required<PagedList<unknown>>();
}
