import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '@hcp/db';
import { SESSION_MAX_HOURS, sessionIsLive } from '@hcp/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'hcp_session';

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure over TLS, for the session's whole life. */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, id: string) {
  reply.setCookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    path: '/',
    maxAge: SESSION_MAX_HOURS * 3600,
  });
}

const digest = (id: string) => createHash('sha256').update(id).digest('hex');

/** Opens a session: the random id goes to the cookie, only its hash to the database. */
export async function createSession(
  db: Executor,
  accountId: string,
  meta: { ip: string | null; userAgent: string | null; now: Date },
): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(meta.now.getTime() + SESSION_MAX_HOURS * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      id_hash: digest(id),
      account_id: accountId,
      csrf_token: csrfToken,
      last_seen_at: meta.now,
      expires_at: expiresAt,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { id, csrfToken, expiresAt };
}

export interface SessionAccount {
  sessionHash: string;
  csrfToken: string;
  accountId: string;
  username: string;
  displayName: string;
  role: 'staff' | 'unit_admin' | 'supervisor' | 'auditor' | 'sysadmin';
  unitCode: string | null;
  unitPath: string | null;
  staffNo: string | null;
}

/**
 * The account behind a session cookie, or null when unknown, idle too long, past its end, or the
 * account is disabled. A live session's last-seen time moves forward (at most once a minute).
 */
export async function resolveSession(db: Executor, id: string, now: Date): Promise<SessionAccount | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .leftJoin('units as u', 'u.code', 'a.unit_code')
    .select([
      's.id_hash',
      's.csrf_token',
      's.last_seen_at',
      's.expires_at',
      'a.id',
      'a.username',
      'a.display_name',
      'a.role',
      'a.unit_code',
      'u.path as unit_path',
      'a.staff_no',
      'a.disabled_at',
    ])
    .where('s.id_hash', '=', digest(id))
    .executeTakeFirst();
  if (
    !row ||
    row.disabled_at ||
    !sessionIsLive({ lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }, now)
  ) {
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
  }
  return {
    sessionHash: row.id_hash,
    csrfToken: row.csrf_token,
    accountId: String(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    unitCode: row.unit_code,
    unitPath: row.unit_path,
    staffNo: row.staff_no,
  };
}

/** Ends a session (logout). */
export async function endSession(db: Executor, sessionHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sessionHash).execute();
}
