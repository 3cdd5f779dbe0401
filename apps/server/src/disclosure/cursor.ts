import { DomainError } from '@hcp/domain';

const ID = /^[1-9][0-9]{0,17}$/;

/** The opaque keyset cursor of a page that ends at this id: base64url of the id. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The id a cursor stands for. Anything this API did not hand out (bad base64url, not an id, or
 * not in canonical form) is a 400 naming the cursor, never a 500 or a silent first page.
 */
export function decodeIdCursor(cursor: string, field = 'querystring.cursor'): string {
  const id = /^[A-Za-z0-9_-]{1,24}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (ID.test(id) && encodeIdCursor(id) === cursor) return id;
  throw new DomainError(
    'VALIDATION_FAILED',
    { en: `${field} is not a cursor this API returned`, zh: `${field}：分页游标无效` },
    { field },
  );
}
