import type { AuditEntryView } from '@lexy/client-api';

/** What an admin did, in words. */
export function actionName(action: AuditEntryView['action']): string {
  switch (action) {
    case 'user.update':
      return $localize`:@@admin.audit.userUpdate:User changed`;
    case 'file.delete':
      return $localize`:@@admin.audit.fileDelete:File deleted`;
    case 'file.restore':
      return $localize`:@@admin.audit.fileRestore:File restored`;
    case 'group.update':
      return $localize`:@@admin.audit.groupUpdate:Group limits changed`;
    default:
      return action;
  }
}

/** The changed fields (the OpenAPI document types them as objects of unknown fields). */
export interface AuditChanges {
  before: Readonly<Record<string, unknown>> | null;
  after: Readonly<Record<string, unknown>> | null;
  details: Readonly<Record<string, unknown>> | null;
}

const show = (value: unknown) => (value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * An entry's changes as one line per field, "group: normal → vip", then its other details
 * ("reason: copyright notice"): what a reader of the log looks for.
 */
export function changeLines(entry: AuditChanges): string[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes = fields.map((field) =>
    field in before && field in after
      ? `${field}: ${show(before[field])} → ${show(after[field])}`
      : `${field}: ${show(field in after ? after[field] : before[field])}`,
  );
  const details = Object.entries(entry.details ?? {}).map(([key, value]) => `${key}: ${show(value)}`);
  return [...changes, ...details];
}
