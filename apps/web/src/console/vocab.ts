import type { KeyOperation } from '@hcp/domain';
import type { RoleId } from './console-api';

// Records (not arrays) so the type checker fails when the server gains a value we do not list.
const roles: Record<RoleId, true> = {
  staff: true,
  unit_admin: true,
  supervisor: true,
  auditor: true,
  sysadmin: true,
};
const operations: Record<KeyOperation, true> = {
  'cases:write': true,
  'evaluations:write': true,
  'hotline:write': true,
  'tokens:write': true,
  'pads:manage': true,
  'tickets:write': true,
};

/** Roles, narrowest first (labels: `console.role.<id>`). */
export const ROLE_OPTIONS = Object.keys(roles) as RoleId[];
/** What an API key may be granted (labels: `console.operation.<op>`, with `:` as `_`). */
export const OPERATION_OPTIONS = Object.keys(operations) as KeyOperation[];

/** The i18n key of an operation's label (message keys cannot hold a colon). */
export function operationKey(op: string): string {
  return `console.operation.${op.replace(':', '_')}`;
}

/** Whether a query-string value names a role. */
export function isRole(value: unknown): value is RoleId {
  return typeof value === 'string' && Object.hasOwn(roles, value);
}

/** Date and time as people read it in Shanghai, or a dash. */
export function formatTime(iso: string | null, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}
