import type { PageOf } from '@hcp/contracts';
import type { KeyOperation } from '@hcp/domain';
import { createHcpClient, type RequestOptions } from '@hcp/sdk';
import { i18n } from '../i18n';

const API = '/api/v1';

/** Roles of console accounts, from the narrowest to the widest. */
export type RoleId = 'staff' | 'unit_admin' | 'supervisor' | 'auditor' | 'sysadmin';

/** The signed-in account (`GET /auth/me`). */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: RoleId;
  unitCode: string | null;
  staffNo: string | null;
  locked: boolean;
}

/** Answer of sign-in and `/auth/me`: the account and the CSRF token of its session. */
export interface SessionView {
  account: Account;
  csrfToken: string;
}

/** A row of `GET /accounts`. */
export interface AccountRow extends Account {
  unitName: string | null;
  disabled: boolean;
  totpEnabled: boolean;
  passwordSignIn: boolean;
  createdAt: string;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: RoleId;
  unitCode: string | null;
  staffNo: string | null;
  password: string;
}

/** A row of `GET /api-keys` (the secret is never listed). */
export interface ApiKeyRow {
  id: string;
  name: string;
  channels: string[];
  operations: KeyOperation[];
  unit_code: string | null;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  replaced_by: string | null;
}

export interface NewApiKey {
  name: string;
  channels: string[];
  operations: KeyOperation[];
  unitCode: string | null;
}

/** A key as issued: `key` is shown once. */
export interface IssuedKey {
  id: string;
  key: string;
  oldKeyExpiresAt?: string;
}

/** One audit entry as the API answers it (column names of the table). */
export interface AuditEntry {
  id: string;
  at: string;
  actor_kind: string;
  actor_id: string;
  role: string | null;
  via: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export interface AuditFilters {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** The CSRF token of the current session, sent as `X-CSRF-Token` on every state-changing call. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** What to do when a call answers 401 (the session ended): the auth store sends to the login page. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Calls where a 401 is an answer, not a lost session (signing in, asking who is signed in). */
const OWN_401 = /\/api\/v1\/auth\/(login|me)$/;

/** fetch for the console: the session cookie travels by itself; this adds CSRF and watches for 401. */
const consoleFetch: typeof fetch = async (input, init = {}) => {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  const res = await globalThis.fetch(input, { ...init, headers, credentials: 'same-origin' });
  const path = new URL(String(input), globalThis.location?.href ?? 'http://localhost').pathname;
  if (res.status === 401 && !OWN_401.test(path)) onUnauthorized?.();
  return res;
};

/** The console's API client: the SDK, with the session's CSRF token and the 401 watch. */
export const consoleClient = createHcpClient({ locale: () => i18n.global.locale.value, fetch: consoleFetch });
const http = consoleClient.http;

/** The identity endpoints the console uses, typed (they have no SDK resource yet). */
export const identityApi = {
  signInOptions: (init?: RequestOptions) =>
    http.request<{ password: boolean; oidc: boolean }>('GET', `${API}/auth/config`, init),
  login: (body: { username: string; password: string; otp?: string }) =>
    http.request<SessionView>('POST', `${API}/auth/login`, { body }),
  me: (init?: RequestOptions) => http.request<SessionView>('GET', `${API}/auth/me`, init),
  logout: () => http.request<void>('POST', `${API}/auth/logout`),
  totpSetup: () => http.request<{ secret: string; otpauthUri: string }>('POST', `${API}/auth/totp/setup`),
  totpEnable: (code: string) => http.request<void>('POST', `${API}/auth/totp/enable`, { body: { code } }),

  accounts: (query: { q?: string; role?: RoleId; limit?: number; cursor?: string }, init?: RequestOptions) =>
    http.request<PageOf<AccountRow>>('GET', `${API}/accounts`, { ...init, query }),
  createAccount: (body: NewAccount) => http.request<Account>('POST', `${API}/accounts`, { body }),
  resetPassword: (id: string, password: string) =>
    http.request<void>('PUT', `${API}/accounts/${encodeURIComponent(id)}/password`, { body: { password } }),
  disableAccount: (id: string) =>
    http.request<void>('POST', `${API}/accounts/${encodeURIComponent(id)}/disable`),
  enableAccount: (id: string) =>
    http.request<void>('POST', `${API}/accounts/${encodeURIComponent(id)}/enable`),

  apiKeys: (init?: RequestOptions) => http.request<ApiKeyRow[]>('GET', `${API}/api-keys`, init),
  createApiKey: (body: NewApiKey) => http.request<IssuedKey>('POST', `${API}/api-keys`, { body }),
  rotateApiKey: (id: string, overlapHours: number) =>
    http.request<IssuedKey>('POST', `${API}/api-keys/${encodeURIComponent(id)}/rotate`, {
      body: { overlapHours },
    }),
  revokeApiKey: (id: string) => http.request<void>('DELETE', `${API}/api-keys/${encodeURIComponent(id)}`),

  auditLog: (query: AuditFilters & { limit?: number; before?: string }, init?: RequestOptions) =>
    http.request<{ items: AuditEntry[]; nextBefore: string | null }>('GET', `${API}/audit-log`, {
      ...init,
      query,
    }),
};

/** Where the CSV export of the audit log with these filters downloads from (a plain link: the cookie goes along). */
export function auditCsvUrl(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const q = params.toString();
  return `${API}/audit-log.csv${q ? `?${q}` : ''}`;
}

/** Where the browser goes to sign in through the unified identity (a full-page navigation). */
export function oidcLoginUrl(returnTo: string): string {
  return `${API}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;
}
