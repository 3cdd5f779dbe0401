/**
 * The one error type the application raises on purpose. `code` is stable and maps to an HTTP
 * status in one table (apps/server/src/http/error-handler.ts); `details` names the fields at fault.
 */
export class DomainError extends Error {
  /** The message in both languages; the HTTP layer picks one from Accept-Language. */
  readonly text: LocalizedText;

  constructor(
    readonly code: ErrorCode,
    message: string | LocalizedText,
    readonly details?: Record<string, unknown>,
  ) {
    const text = typeof message === 'string' ? { en: message, zh: message } : message;
    super(text.en);
    this.text = text;
    this.name = 'DomainError';
  }
}

/** A message for people, in English and Chinese. */
export interface LocalizedText {
  en: string;
  zh: string;
}

export const ERROR_CODES = [
  'VALIDATION_FAILED', // 400: the request does not match its schema
  'UNAUTHENTICATED', // 401
  'FORBIDDEN', // 403
  'NOT_FOUND', // 404
  'GONE', // 410: existed, no longer usable (a used rating token)
  'CONFLICT', // 409: a unique key or state guard refused the change
  'UNPROCESSABLE', // 422: well-formed but refers to things that do not exist or break a rule
  'PAYLOAD_TOO_LARGE', // 413
  'RATE_LIMITED', // 429
  'UNAVAILABLE', // 503: shutting down or the database is unreachable
  'UNSUPPORTED_MEDIA_TYPE', // 415
  'INTERNAL', // 500: never carries internals
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Shorthand for the common 404. */
export function notFound(what: CatalogEntity, key: string): DomainError {
  return new DomainError(
    'NOT_FOUND',
    { en: `${what} ${key} not found`, zh: `${ENTITY_ZH[what]} ${key} 不存在` },
    { [what]: key },
  );
}

/** Names of things for messages. */
export type CatalogEntity = 'unit' | 'item' | 'window' | 'staff' | 'case' | 'evaluation' | 'ticket';
export const ENTITY_ZH: Record<CatalogEntity, string> = {
  unit: '单位',
  item: '事项',
  window: '窗口',
  staff: '工作人员',
  case: '办件',
  evaluation: '评价',
  ticket: '工单',
};
