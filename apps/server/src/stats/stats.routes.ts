import { ScorecardParamsSchema, ScorecardSchema } from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readScorecard, type ScorecardScope } from './read-scorecard';

/** Figures move once per rollup pass (seconds); a shared cache may keep them for 30 s. */
const cacheable = (reply: FastifyReply) => reply.header('cache-control', 'public, max-age=30');

/** Public scorecards (DOMAIN.md §8): everything, a unit's subtree, an item. No login. */
export async function statsRoutes(app: FastifyInstance, opts: { db: Executor; now: () => Date }) {
  const tags = ['public'];
  const answer = async (scope: ScorecardScope, reply: FastifyReply) => {
    const card = await readScorecard(opts.db, scope, opts.now());
    cacheable(reply);
    return card;
  };

  app.get('/api/v1/public/summary', {
    schema: { tags, summary: 'Scorecard of all ratings', response: { 200: ScorecardSchema } },
    handler: (_req, reply) => answer({ kind: 'all' }, reply),
  });
  app.get('/api/v1/public/units/:code/scorecard', {
    schema: {
      tags,
      summary: "Scorecard of a unit's subtree",
      params: ScorecardParamsSchema,
      response: { 200: ScorecardSchema },
    },
    handler: (req, reply) => answer({ kind: 'unit', code: (req.params as { code: string }).code }, reply),
  });
  app.get('/api/v1/public/items/:code/scorecard', {
    schema: {
      tags,
      summary: 'Scorecard of a service item',
      params: ScorecardParamsSchema,
      response: { 200: ScorecardSchema },
    },
    handler: (req, reply) => answer({ kind: 'item', code: (req.params as { code: string }).code }, reply),
  });
}
