import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '@hcp/contracts';
import type { Database } from '@hcp/db';
import { shanghaiDay } from '@hcp/domain';
import Fastify, { type FastifyInstance } from 'fastify';
import { startBackground } from './background';
import { catalogRoutes } from './catalog/catalog.routes';
import type { Config } from './config';
import { disclosureRoutes } from './disclosure/disclosure.routes';
import { installAuth } from './http/auth';
import { installErrorHandling } from './http/error-handler';
import { type HardeningOptions, installHardening } from './http/hardening';
import { healthRoutes } from './http/health.routes';
import { rejectNul } from './http/no-nul';
import { installPolicies } from './http/policy';
import { installWebApp, webDistDir } from './http/static';
import { validatorCompiler } from './http/validator';
import { apiKeyRoutes } from './identity/api-keys.routes';
import { identityRoutes } from './identity/identity.routes';
import { oidcRoutes } from './identity/oidc.routes';
import { totpRoutes } from './identity/totp.routes';
import { EvaluationWriter } from './intake/evaluation-writer';
import { intakeRoutes } from './intake/intake.routes';
import { LoggingSmsSender, type SmsSender } from './intake/sms';
import { LoggingEmailSender } from './notify/email';
import { notifyRoutes } from './notify/notify.routes';
import { padRoutes } from './pads/pads.routes';
import { WindowHub } from './pads/window-hub';
import { createProtector } from './security/protector';
import { statsRoutes } from './stats/stats.routes';
import { DeadlinePolicy } from './tickets/deadline-rules';
import { ticketRoutes } from './tickets/tickets.routes';

export interface AppDeps {
  config: Pick<Config, 'adminKey' | 'logLevel' | 'ratingWindowDays'> & {
    publicUrl: string;
    oidc?: Config['oidc'];
  };
  database: Database;
  /** Server secret for hashing and encrypting personal data (see security/protector.ts). */
  secret: string;
  /** SMS gateway; defaults to the logging adapter. */
  sms?: SmsSender;
  /** The clock, injected so tests can fix the date. */
  now?: () => Date;
  /** Security headers, CORS and rate limits; rate limits are off unless given (the server gives them). */
  hardening?: Partial<HardeningOptions>;
  /** Run the background sweeps in this process (on in the server, off in API tests). */
  sweeps?: boolean;
  /** Serve the built web app (off in API tests). */
  web?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Builds the HTTP application without listening, so tests drive it through `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: { level: deps.config.logLevel },
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('preValidation', rejectNul);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandling(app);
  await installHardening(app, {
    rateLimit: deps.hardening?.rateLimit ?? false,
    corsOrigins: deps.hardening?.corsOrigins ?? [],
  });
  await app.register(fastifyCookie);
  installAuth(app, { adminKey: deps.config.adminKey, secret: deps.secret, db: deps.database.db, now });
  installPolicies(app);
  app.addSchema(ErrorSchema);
  // Every route documents the one error body for its 4xx and 5xx answers.
  app.addHook('onRoute', (route) => {
    if (!route.schema || route.schema.hide) return;
    route.schema.response = {
      ...(route.schema.response as object),
      '4xx': { $ref: 'Error#' },
      '5xx': { $ref: 'Error#' },
    };
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Haochaping (好差评) API',
        version: '0.1.0',
        description:
          'Government-service evaluation: catalogue, cases, ratings, tickets and public disclosure.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Shared schemas keep their $id as the component name (Error, not def-0).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { database: deps.database });
  const protector = createProtector(deps.secret);
  await app.register(identityRoutes, { db: deps.database.db, now, protector });
  await app.register(totpRoutes, { db: deps.database.db, now, protector });
  await app.register(apiKeyRoutes, { db: deps.database.db, now, secret: deps.secret });
  await app.register(oidcRoutes, {
    db: deps.database.db,
    now,
    secret: deps.secret,
    oidc: deps.config.oidc,
    publicUrl: deps.config.publicUrl,
  });
  await app.register(catalogRoutes, {
    db: deps.database.db,
    today: () => shanghaiDay(now()),
  });
  const policy = new DeadlinePolicy(deps.database.db);
  const ticketContext = { policy, protector, publicUrl: deps.config.publicUrl };
  const writer = new EvaluationWriter(deps.database.db, {
    tickets: ticketContext,
    // PGlite is one connection: more than one write at a time would only queue. On PostgreSQL two
    // overlap the database's work on one batch with the server's on the next; more split the queue
    // into smaller batches and cost more than they overlap (bench/ingest: 2 → 4,300/s, 4 → 3,990/s,
    // 8 → 2,960/s at 50 connections).
    maxInFlight: deps.database.kind === 'pglite' ? 1 : 2,
    windowDays: deps.config.ratingWindowDays,
    now,
    today: () => shanghaiDay(now()),
  });
  // Fastify waits for in-flight requests before onClose; this drains anything still queued.
  app.addHook('onClose', () => writer.flushed());
  const sms = deps.sms ?? new LoggingSmsSender(app.log);
  const email = new LoggingEmailSender(app.log);
  if (deps.sweeps) {
    const stop = startBackground({
      database: deps.database,
      log: app.log,
      now,
      protector,
      sms,
      email,
      policy,
      windowDays: deps.config.ratingWindowDays,
    });
    app.addHook('onClose', stop);
  }
  const intake = {
    db: deps.database.db,
    protector,
    writer,
    sms,
    windowDays: deps.config.ratingWindowDays,
    publicUrl: deps.config.publicUrl,
    now,
    hub: new WindowHub(),
  };
  await app.register(intakeRoutes, intake);
  await app.register(ticketRoutes, { ...ticketContext, db: deps.database.db, now });
  await app.register(padRoutes, intake);
  await app.register(notifyRoutes, {
    db: intake.db,
    now,
    protector,
    sms: intake.sms,
    email,
  });
  await app.register(statsRoutes, { db: deps.database.db, now });
  await app.register(disclosureRoutes, {
    db: deps.database.db,
    now,
    protector,
    publicUrl: deps.config.publicUrl,
  });
  await installWebApp(app, deps.web === false ? null : webDistDir());
  return app;
}
