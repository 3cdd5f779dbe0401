import { Readable } from 'node:stream';
import {
  PublicEvaluationDetailSchema,
  PublicEvaluationPageSchema,
  type PublicEvaluationQuery,
  PublicEvaluationQuerySchema,
  type PublicExportQuery,
  PublicExportQuerySchema,
} from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { decodeIdCursor } from './cursor';
import { getPublicEvaluation, listPublicEvaluations } from './public-evaluations';
import { atomFeed, CSV_MAX_ROWS, csvChunks } from './public-export';
import { resolveFilters, resolveUnit } from './public-query';

export interface PublicDeps {
  db: Executor;
  publicUrl: string;
  now: () => Date;
}

const tags = ['public'];
const FEED_SIZE = 50;

/** Shared caches may keep public answers briefly: ratings appear within seconds anyway. */
function cacheFor(reply: FastifyReply, seconds: number) {
  reply.header('cache-control', `public, max-age=${seconds}`);
}

const text = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: 'string' } } },
});

/** The public disclosure API (双公开): ratings, replies and fixes, without signing in. */
export async function publicRoutes(app: FastifyInstance, deps: PublicDeps) {
  const { db } = deps;
  const base = deps.publicUrl.replace(/\/+$/, '');

  app.get('/api/v1/public/evaluations', {
    schema: {
      tags,
      summary: 'Public ratings, newest first, with every filter; keyset pages',
      description:
        'Only published (redacted) text is shown; a comment waiting for redaction or in moderation is null ' +
        'with commentStatus pending or held. An unknown unit, item, window or staff number is 404.',
      querystring: PublicEvaluationQuerySchema,
      response: { 200: PublicEvaluationPageSchema },
    },
    handler: async (req, reply) => {
      const q = req.query as PublicEvaluationQuery;
      const cursorId = q.cursor === undefined ? undefined : decodeIdCursor(q.cursor);
      const page = await listPublicEvaluations(db, await resolveFilters(db, q), q.limit ?? 20, cursorId);
      cacheFor(reply, 30);
      return page;
    },
  });

  app.get('/api/v1/public/evaluations.csv', {
    schema: {
      tags,
      summary: `Public ratings as CSV (UTF-8 with BOM), the list's filters, at most ${CSV_MAX_ROWS} rows`,
      querystring: PublicExportQuerySchema,
      response: { 200: text('text/csv', 'Streamed CSV with a header row') },
    },
    handler: async (req, reply) => {
      const filters = await resolveFilters(db, req.query as PublicExportQuery);
      cacheFor(reply, 60);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="evaluations.csv"')
        .send(Readable.from(csvChunks(db, filters)));
    },
  });

  app.get('/api/v1/public/evaluations/:id', {
    schema: {
      tags,
      summary: 'One public rating with its ticket timeline',
      params: Type.Object({
        id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Evaluation id' }),
      }),
      response: { 200: PublicEvaluationDetailSchema },
    },
    handler: async (req, reply) => {
      const found = await getPublicEvaluation(db, (req.params as { id: string }).id);
      cacheFor(reply, 30);
      return found;
    },
  });

  app.get('/api/v1/public/units/:code/feed.atom', {
    schema: {
      tags,
      summary: `Atom 1.0 feed of the latest ${FEED_SIZE} public ratings of a unit's subtree`,
      params: Type.Object({
        code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$', description: 'Unit code' }),
      }),
      response: { 200: text('application/atom+xml', 'Atom 1.0 (RFC 4287)') },
    },
    handler: async (req, reply) => {
      const { code } = req.params as { code: string };
      const unit = await resolveUnit(db, code);
      const page = await listPublicEvaluations(db, { unit }, FEED_SIZE);
      cacheFor(reply, 60);
      return reply.type('application/atom+xml; charset=utf-8').send(
        atomFeed({
          unit,
          items: page.items,
          selfUrl: `${base}/api/v1/public/units/${encodeURIComponent(code)}/feed.atom`,
          entryUrl: (id) => `${base}/api/v1/public/evaluations/${id}`,
          now: deps.now(),
        }),
      );
    },
  });
}
