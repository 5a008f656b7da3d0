import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { isApiError, type GroupLimitsPatch, type GroupView } from '@lexy/client-api';
import { ADMIN_API, AdminErrors } from '../admin-api';
import { groupName } from '../shared/group-names';
import { Outcome } from '../shared/outcome';
import {
  LIMIT_SPECS,
  draftsOf,
  parseDraft,
  rangeText,
  unitLabel,
  unitsOf,
  type LimitDraft,
  type LimitKey,
  type LimitSpec,
} from './limit-fields';

type Field = LimitKey | 'trafficWindow';
type Window = NonNullable<GroupLimitsPatch['trafficWindow']>;

/**
 * One group's limits in the units people read (MB/s, GB, hours), each with an "Unlimited"
 * box; checked here against the API's bounds before it is sent, and the server's refusal of a
 * field shown at that field. Only what changed is sent.
 */
@Component({
  selector: 'lexy-admin-group-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './group-editor.html',
  styleUrl: './group-editor.css',
})
export class GroupEditor {
  private readonly api = inject(ADMIN_API);
  private readonly errors = inject(AdminErrors);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  readonly group = input.required<GroupView>();

  protected readonly specs = LIMIT_SPECS;
  protected readonly unitLabel = unitLabel;
  protected readonly unitsOf = unitsOf;
  protected readonly title = computed(() => groupName(this.group().name));
  /** The limits as the server last confirmed them. */
  private readonly saved = linkedSignal(() => this.group().limits);
  protected readonly drafts = linkedSignal(() => draftsOf(this.saved()));
  /** A group without a traffic limit has no window; a limit given to it starts per day. */
  protected readonly trafficWindow = linkedSignal<Window>(() => this.saved().trafficWindow ?? 'day');
  protected readonly problems = signal<Partial<Record<Field, string>>>({});
  protected readonly saving = signal(false);
  protected readonly outcome = new Outcome();

  protected id(key: string): string {
    return `${this.group().name}-${key}`;
  }

  protected edit(key: LimitKey, change: Partial<LimitDraft>): void {
    this.drafts.update((drafts) => ({ ...drafts, [key]: { ...drafts[key], ...change } }));
    this.problems.update(({ [key]: _gone, ...others }) => others);
  }

  protected setWindow(value: string): void {
    this.trafficWindow.set(value === 'month' ? 'month' : 'day');
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    this.outcome.clear();
    const changes = this.changes();
    if (changes === null) return;
    if (Object.keys(changes).length === 0) {
      this.outcome.succeed($localize`:@@admin.groups.unchanged:Nothing was changed.`);
      return;
    }
    this.saving.set(true);
    try {
      const { limits } = await this.api.updateGroup(this.group().name, changes);
      this.saved.set(limits);
      this.outcome.succeed($localize`:@@admin.groups.saved:The limits of ${this.title()}:group: are saved.`);
    } catch (error) {
      this.refused(error);
    } finally {
      this.saving.set(false);
    }
  }

  /** The fields that differ from the saved limits, or null (and the problems shown) when one is not valid. */
  private changes(): GroupLimitsPatch | null {
    const saved = this.saved();
    const problems: Partial<Record<Field, string>> = {};
    const changes: GroupLimitsPatch = {};
    for (const spec of LIMIT_SPECS) {
      const parsed = parseDraft(spec, this.drafts()[spec.key]);
      if (!parsed.ok) problems[spec.key] = parsed.problem;
      else if (parsed.value !== saved[spec.key]) changes[spec.key] = parsed.value;
    }
    // A traffic limit always has its window (docs/api.md): sent with a new limit or on its own
    // change; an unlimited one has none, which the server clears by itself.
    const trafficLimited = !this.drafts().trafficBytes.unlimited;
    if (trafficLimited && ('trafficBytes' in changes || this.trafficWindow() !== saved.trafficWindow)) {
      changes.trafficWindow = this.trafficWindow();
    }
    this.problems.set(problems);
    const first = LIMIT_SPECS.find((spec) => problems[spec.key]);
    if (!first) return changes;
    this.focus(first.key);
    return null;
  }

  /** A field the server refused (VALIDATION_FAILED, details.field) is marked there; anything else above. */
  private refused(error: unknown): void {
    const field = isApiError(error) && typeof error.details['field'] === 'string' ? error.details['field'] : null;
    const key = field?.split('.').at(-1) as Field | undefined;
    const spec = LIMIT_SPECS.find((each) => each.key === key);
    if (key === 'trafficWindow' || spec) {
      const problem = spec ? rangeText(spec, this.drafts()[spec.key].unit) : this.errors.describe(error);
      this.problems.update((problems) => ({ ...problems, [key as Field]: problem }));
      this.focus(key as Field);
    }
    this.outcome.fail(this.errors.describe(error));
  }

  private focus(field: Field): void {
    const control = this.host.nativeElement.querySelector<HTMLElement>(`#${this.id(field)}`);
    control?.focus();
  }

  protected problemOf(spec: LimitSpec): string | undefined {
    return this.problems()[spec.key];
  }
}
