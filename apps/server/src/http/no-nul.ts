import { DomainError } from '@hcp/domain';
import type { FastifyRequest } from 'fastify';

/** The path of the first string holding a NUL character, or null (bounded depth: bodies are small). */
export function findNul(value: unknown, path: string[] = [], depth = 0): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return [...path, k];
    const found = findNul(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * preValidation hook: PostgreSQL text cannot hold U+0000, so a body string containing it would fail
 * at the database as a 500. Refuse it up front, naming the field.
 */
export async function rejectNul(request: FastifyRequest) {
  const path = findNul(request.body);
  if (path) {
    const field = ['body', ...path].join('.');
    throw new DomainError(
      'VALIDATION_FAILED',
      { en: `${field} contains a NUL character`, zh: `${field}：包含非法的空字符` },
      { field },
    );
  }
}
