import { type Static, type TSchema, Type } from 'typebox';

/** Every error body: a stable code, a message in the caller's language, and details naming fields. */
export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, e.g. VALIDATION_FAILED, NOT_FOUND' }),
    message: Type.String({ description: 'Human-readable message (zh-CN or en, from Accept-Language)' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Error' },
);
export type ApiError = Static<typeof ErrorSchema>;

export const LimitSchema = Type.Integer({ minimum: 1, maximum: 500, default: 50 });
export const CursorSchema = Type.String({ maxLength: 200, description: 'Opaque cursor from nextCursor' });

/** Keyset page: the rows and the cursor of the next page (null on the last page). */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}
export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/** A catalogue code: letters, digits, dash and underscore (no '/', which separates unit paths). */
export const CodeSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' });
