import { DomainError, type ErrorCode } from '@hcp/domain';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickLanguage, say } from './language';
import { describe, fieldOf, type SchemaError } from './validation';

/** The one table from error codes to HTTP statuses. */
export const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  GONE: 410,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

// Fastify's own 4xx errors (bad JSON, wrong content type, body too large) keep their status and get
// one of our codes.
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

const ZH_OF_STATUS: Record<number, string> = {
  400: '请求格式不正确（例如请求体不是有效的 JSON）',
  401: '未登录或凭据无效',
  403: '无权执行此操作',
  404: '请求的资源不存在',
  413: '请求体过大',
  415: '不支持的内容类型，请使用 application/json',
  429: '请求过于频繁，请稍后再试',
};

/** Converts anything thrown in a request into a DomainError the caller may see. */
export function toDomainError(error: FastifyError | DomainError | Error): DomainError {
  if (error instanceof DomainError) return error;
  const fe = error as FastifyError & { validation?: SchemaError[]; validationContext?: string };
  if (fe.validation?.length) {
    const problems = fe.validation.map((e) => ({
      field: fieldOf(fe.validationContext ?? 'body', e),
      text: describe(e),
    }));
    const first = problems[0]!;
    return new DomainError(
      'VALIDATION_FAILED',
      { en: `${first.field} ${first.text.en}`, zh: `${first.field}：${first.text.zh}` },
      { field: first.field, problems: problems.map((p) => ({ field: p.field, message: p.text.en })) },
    );
  }
  const status = fe.statusCode ?? 500;
  const code = status < 500 ? (CODE_OF_STATUS[status] ?? 'VALIDATION_FAILED') : 'INTERNAL';
  if (code === 'INTERNAL') {
    return new DomainError('INTERNAL', { en: 'internal error', zh: '系统内部错误' });
  }
  // Content-type-parser errors (bad JSON, empty body, wrong type, too large) are about the body.
  const details = fe.code?.startsWith('FST_ERR_CTP') ? { field: 'body' } : undefined;
  return new DomainError(code, { en: fe.message, zh: ZH_OF_STATUS[status] ?? '请求无效' }, details);
}

/** Sends `{ code, message, details?, requestId }` in the caller's language. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: DomainError) {
  const body = {
    code: error.code,
    message: say(error.text, pickLanguage(request.headers['accept-language'])),
    ...(error.details ? { details: error.details } : {}),
    requestId: request.id,
  };
  return reply.status(STATUS_OF[error.code]).type('application/json; charset=utf-8').send(body);
}

/** Installs the one error handler and the JSON 404 for unknown API routes. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const domain = toDomainError(error);
    if (domain.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, domain);
  });
}
