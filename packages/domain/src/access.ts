/**
 * Identity and access rules (ARCHITECTURE.md "Identity and access"), pure: roles, the subtree
 * scope of an account, login lockout with backoff, and session expiry.
 */

/** Roles, from the narrowest to the widest. */
export const ROLES = ['staff', 'unit_admin', 'supervisor', 'auditor', 'sysadmin'] as const;
export type RoleId = (typeof ROLES)[number];

/**
 * Whether something at `targetPath` lies in the subtree an account may see: its unit's
 * materialized path is a prefix of the target's. `null` scope (system administrators) sees all.
 */
export function inScope(scopePath: string | null, targetPath: string): boolean {
  return scopePath === null || targetPath.startsWith(scopePath);
}

/** Failed logins allowed before the account locks. */
export const FREE_LOGIN_FAILURES = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

/**
 * When an account unlocks after its `failures`-th failed login in a row: not locked for the first
 * five, then 1 minute, doubling with each further failure, at most 1 hour. Null means not locked.
 */
export function lockedUntilAfter(failures: number, now: Date): Date | null {
  if (failures < FREE_LOGIN_FAILURES) return null;
  const ms = Math.min(FIRST_LOCK_MS * 2 ** (failures - FREE_LOGIN_FAILURES), MAX_LOCK_MS);
  return new Date(now.getTime() + ms);
}

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
}

/** Session lifetimes: idle timeout and absolute lifetime (defaults for a government console). */
export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;

/** A session is live until it is idle too long or reaches its absolute end. */
export function sessionIsLive(s: SessionTimes, now: Date, idleMinutes = SESSION_IDLE_MINUTES): boolean {
  return now < s.expiresAt && now.getTime() - s.lastSeenAt.getTime() <= idleMinutes * 60_000;
}
