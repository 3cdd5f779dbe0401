import { DeadlineRuleSchema } from '@hcp/contracts';
import { inTransaction } from '@hcp/db';
import { DomainError } from '@hcp/domain';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { requireActor, requireSysadmin } from '../http/auth';
import { recordAudit } from '../identity/audit';
import type { TicketDeps } from './tickets.routes';

const tags = ['tickets'];

/** Deadline rules per region (DOMAIN.md §6): the default and each region's own. */
export async function deadlineRuleRoutes(app: FastifyInstance, deps: TicketDeps) {
  app.get('/api/v1/deadline-rules', {
    schema: {
      tags,
      summary: 'Deadline rules: the default and each region’s own',
      response: {
        200: Type.Array(
          Type.Object({
            unitCode: Type.Union([Type.String(), Type.Null()]),
            ...DeadlineRuleSchema.properties,
          }),
        ),
      },
      security: [{ bearer: [] }],
    },
    preHandler: requireActor,
    handler: async () => {
      deps.policy.invalidate();
      return (await deps.policy.rules(deps.db)).map((r) => ({ unitCode: r.unitCode, ...r.rule }));
    },
  });

  app.put('/api/v1/deadline-rules/:unitCode', {
    schema: {
      tags,
      summary: 'Set a region’s deadline rule (`default` for the default)',
      params: Type.Object({ unitCode: Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }) }),
      body: DeadlineRuleSchema,
      response: {
        200: Type.Object({
          unitCode: Type.Union([Type.String(), Type.Null()]),
          ...DeadlineRuleSchema.properties,
        }),
      },
      security: [{ bearer: [] }],
    },
    preHandler: requireSysadmin,
    handler: async (req) => {
      const { unitCode } = req.params as { unitCode: string };
      const code = unitCode === 'default' ? null : unitCode;
      const b = req.body as Record<string, number>;
      const values = {
        contact_days: b.contactDays!,
        reply_days: b.replyDays!,
        rectify_days: b.rectifyDays!,
        appeal_days: b.appealDays!,
        appeal_decision_days: b.appealDecisionDays!,
        signoff_days: b.signoffDays!,
        revisit_natural_days: b.revisitNaturalDays!,
        remind_hours: b.remindHours!,
        updated_at: deps.now(),
      };
      await inTransaction(deps.db, async (trx) => {
        if (code) {
          const unit = await trx
            .selectFrom('units')
            .select('code')
            .where('code', '=', code)
            .executeTakeFirst();
          if (!unit) {
            throw new DomainError(
              'NOT_FOUND',
              { en: `unit ${code} not found`, zh: `单位 ${code} 不存在` },
              { field: 'unitCode' },
            );
          }
        }
        const before = await trx
          .selectFrom('deadline_rules')
          .selectAll()
          .where(code ? sql<boolean>`unit_code = ${code}` : sql<boolean>`unit_code IS NULL`)
          .executeTakeFirst();
        if (before) {
          await trx
            .updateTable('deadline_rules')
            .set(values)
            .where(code ? sql<boolean>`unit_code = ${code}` : sql<boolean>`unit_code IS NULL`)
            .execute();
        } else {
          await trx
            .insertInto('deadline_rules')
            .values({ unit_code: code, ...values })
            .execute();
        }
        await recordAudit(trx, req, {
          action: 'deadline_rule.set',
          targetType: 'deadline_rule',
          targetId: code ?? 'default',
          before: before ?? null,
          after: values,
        });
      });
      deps.policy.invalidate();
      return { unitCode: code, ...(req.body as object) } as never;
    },
  });
}
