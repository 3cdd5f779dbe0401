import type { Database } from '@hcp/db';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';

const Status = Type.Object({ status: Type.String(), database: Type.Optional(Type.String()) });

/** `/healthz`: the process answers. `/readyz`: it can reach its database (else 503). */
export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  app.get('/healthz', { schema: { tags: ['ops'], response: { 200: Status } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { tags: ['ops'], response: { 200: Status, 503: Status } } },
    async (_req, reply) => {
      try {
        await sql`SELECT 1`.execute(opts.database.db);
        return { status: 'ready', database: opts.database.kind };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: opts.database.kind });
      }
    },
  );
}
