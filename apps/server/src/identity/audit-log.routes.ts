import { Readable } from 'node:stream';
import { type Executor, escapeLike } from '@hcp/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { requireRole } from '../http/auth';

const tags = ['identity'];
/** Rows in one CSV export at most; narrow the filters for more. */
export const AUDIT_CSV_MAX_ROWS = 100_000;

const Filters = {
  action: Type.Optional(Type.String({ maxLength: 60 })),
  targetType: Type.Optional(Type.String({ maxLength: 40 })),
  targetId: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this time' })),
};

interface AuditFilters {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

const COLUMNS = [
  'id',
  'at',
  'actor_kind',
  'actor_id',
  'role',
  'via',
  'ip',
  'action',
  'target_type',
  'target_id',
  'before',
  'after',
  'request_id',
] as const;

/**
 * The entries a caller may read, filtered, newest first. Auditors and system administrators read
 * everything. A unit administrator reads what concerns its subtree: entries made by, or about, the
 * accounts and API keys of its units.
 */
function auditQuery(db: Executor, req: FastifyRequest, q: AuditFilters) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc');
  if (q.action) query = query.where('action', '=', q.action);
  if (q.targetType) query = query.where('target_type', '=', q.targetType);
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.from) query = query.where('at', '>=', new Date(q.from));
  if (q.to) query = query.where('at', '<', new Date(q.to));
  const actor = req.actor!;
  if (actor.role === 'unit_admin') {
    const subtree = `${escapeLike(actor.unitPath ?? '')}%`;
    query = query.where(
      sql<boolean>`(EXISTS (
        SELECT 1 FROM accounts sa JOIN units su ON su.code = sa.unit_code
        WHERE su.path LIKE ${subtree} AND sa.role <> 'sysadmin' AND (
          (audit_log.actor_kind = 'account' AND audit_log.actor_id = sa.id::text)
          OR (audit_log.target_type = 'account' AND audit_log.target_id = sa.id::text)))
      OR EXISTS (
        SELECT 1 FROM api_keys sk JOIN units su ON su.code = sk.unit_code
        WHERE su.path LIKE ${subtree} AND (
          (audit_log.target_type = 'api_key' AND audit_log.target_id = sk.id)
          OR (audit_log.actor_kind = 'system' AND audit_log.actor_id = 'key:' || sk.id))))`,
    );
  }
  return query;
}

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The audit log as JSON pages and as a CSV download. */
export async function auditLogRoutes(app: FastifyInstance, deps: { db: Executor; now: () => Date }) {
  const { db } = deps;
  const readers = requireRole('auditor', 'sysadmin', 'unit_admin');

  app.get('/api/v1/audit-log', {
    schema: {
      tags,
      summary:
        'The audit log, newest first (auditors and system administrators: all; unit administrators: their subtree)',
      querystring: Type.Object(
        {
          ...Filters,
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          before: Type.Optional(
            Type.String({ pattern: '^[0-9]{1,18}$', description: 'Entries older than this id (paging)' }),
          ),
        },
        { additionalProperties: false },
      ),
    },
    preHandler: readers,
    handler: async (req) => {
      const q = req.query as AuditFilters & { limit?: number; before?: string };
      const limit = q.limit ?? 100;
      let query = auditQuery(db, req, q).limit(limit);
      if (q.before) query = query.where('id', '<', q.before);
      const rows = await query.execute();
      return {
        items: rows.map((r) => ({ ...r, id: String(r.id) })),
        nextBefore: rows.length === limit ? String(rows.at(-1)!.id) : null,
      };
    },
  });

  app.get('/api/v1/audit-log.csv', {
    schema: {
      tags,
      summary: `The filtered audit log as CSV (UTF-8 with BOM), newest first, at most ${AUDIT_CSV_MAX_ROWS} rows`,
      querystring: Type.Object(Filters, { additionalProperties: false }),
    },
    preHandler: readers,
    handler: async (req, reply) => {
      const q = req.query as AuditFilters;
      async function* lines() {
        yield `\uFEFF${COLUMNS.join(',')}\r\n`;
        let before: string | undefined;
        let sent = 0;
        while (sent < AUDIT_CSV_MAX_ROWS) {
          let page = auditQuery(db, req, q).limit(Math.min(1000, AUDIT_CSV_MAX_ROWS - sent));
          if (before) page = page.where('id', '<', before);
          const rows = await page.execute();
          if (!rows.length) return;
          yield rows.map((r) => `${COLUMNS.map((c) => cell(r[c])).join(',')}\r\n`).join('');
          sent += rows.length;
          before = String(rows.at(-1)!.id);
        }
      }
      const day = deps.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
    },
  });
}
