import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import { DomainError } from '@hcp/domain';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export interface HardeningOptions {
  /** Requests per minute: per IP for anonymous callers, per key or account for the others; false: off. */
  rateLimit: { perIp: number; perCaller: number } | false;
  /** Origins allowed to call the API from a browser; empty: same origin only. */
  corsOrigins: string[];
}

/** Sign-in attempts per IP and minute, whatever the general limit (password guessing). */
export const LOGIN_PER_MINUTE = 20;

const SECURITY_HEADERS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Element Plus and Vant set style attributes at run time.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
    },
  },
  crossOriginEmbedderPolicy: false,
};

/**
 * Runs helmet's middleware once against a response that records what it sets. With static options
 * (no per-request nonces or directive functions) every response gets exactly these headers.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return headers;
}

/**
 * Security headers (CSP, no framing, no sniffing, HSTS when served over TLS by a proxy), CORS by
 * configuration, and rate limits: per IP for the public, per key or account for callers that
 * identify themselves (so one busy channel system is not throttled as if it were one person).
 */
export async function installHardening(app: FastifyInstance, o: HardeningOptions) {
  // The same headers on every answer: computed once here, not per request (@fastify/helmet rebuilds
  // helmet's middleware, CSP parsing included, for each request: 6 % of a rating's CPU time).
  const headers = securityHeaders(SECURITY_HEADERS);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  if (o.corsOrigins.length) {
    await app.register(fastifyCors, { origin: o.corsOrigins, credentials: true });
  }
  if (o.rateLimit) {
    const limits = o.rateLimit;
    await app.register(fastifyRateLimit, {
      // After authentication, so the limit can follow the caller rather than its address.
      hook: 'preHandler',
      timeWindow: '1 minute',
      max: (req) => (req.actor ? limits.perCaller : limits.perIp),
      keyGenerator: (req) => (req.actor ? `${req.actor.kind}:${req.actor.id}` : `ip:${req.ip}`),
      errorResponseBuilder: (_req, ctx) =>
        new DomainError(
          'RATE_LIMITED',
          {
            en: `too many requests: try again in ${ctx.after}`,
            zh: `请求过于频繁，请在 ${ctx.after} 后再试`,
          },
          { limit: ctx.max },
        ),
    });
  }
}
