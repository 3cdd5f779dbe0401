import type { Executor } from '@hcp/db';
import type { FastifyRequest } from 'fastify';

/** One audit entry: who (from the request), what, on what, before and after. */
export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  /** How the actor came in when the request's own credential does not say it (e.g. `oidc`). */
  via?: string;
}

/**
 * Appends an audit entry, in the caller's transaction when given one so the entry and the change
 * commit together. The table refuses updates and deletes (a trigger), so the log is append-only.
 */
export async function recordAudit(
  db: Executor,
  req: Pick<FastifyRequest, 'actor' | 'ip' | 'id'> | null,
  entry: AuditEntry,
  fallbackActor: { kind: 'anonymous' | 'cli'; id: string } = { kind: 'anonymous', id: '-' },
): Promise<void> {
  const actor = req?.actor;
  await db
    .insertInto('audit_log')
    .values({
      actor_kind: actor ? (actor.kind === 'account' ? 'account' : 'system') : fallbackActor.kind,
      actor_id: actor?.id ?? fallbackActor.id,
      role: actor?.role ?? null,
      via: entry.via ?? actor?.via ?? (fallbackActor.kind === 'cli' ? 'cli' : null),
      ip: req?.ip ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: req?.id ?? null,
    })
    .execute();
}
