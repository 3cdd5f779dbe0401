import type { PageOf } from '@hcp/contracts';
import type { Http, RequestOptions } from './http';

/** The read side of a catalogue resource: keyset-paged list and lookup by key. */
export interface ReadResource<T, TQuery, TDetail = T> {
  /** One page of rows; pass `nextCursor` back as `cursor` for the next one. */
  list(query?: TQuery, init?: RequestOptions): Promise<PageOf<T>>;
  /** One row by its key (code, window number, staff number). */
  get(key: string, init?: RequestOptions): Promise<TDetail>;
}

/** A catalogue resource that administrators can also write (PUT upsert, DELETE). */
export interface Resource<T, TInput, TQuery, TDetail = T> extends ReadResource<T, TQuery, TDetail> {
  /** Creates or replaces the row named by the input's key and returns it as `get` would; needs a token. */
  put(input: TInput, init?: RequestOptions): Promise<TDetail>;
  /** Deletes the row; needs a token. */
  remove(key: string, init?: RequestOptions): Promise<void>;
}

/** Path of one row under a collection, with the key safely encoded. */
function rowPath(path: string, key: string): string {
  return `${path}/${encodeURIComponent(key)}`;
}

/** Read-only resource at `path` (e.g. '/api/v1/units'). */
export function readResource<T, TQuery extends object, TDetail = T>(
  http: Http,
  path: string,
): ReadResource<T, TQuery, TDetail> {
  return {
    list: (query, init) => http.request<PageOf<T>>('GET', path, { ...init, query }),
    get: (key, init) => http.request<TDetail>('GET', rowPath(path, key), init),
  };
}

/** Read-write resource at `path`; `keyOf` picks the key out of an input body for the PUT path. */
export function resource<T, TInput, TQuery extends object, TDetail = T>(
  http: Http,
  path: string,
  keyOf: (input: TInput) => string,
): Resource<T, TInput, TQuery, TDetail> {
  return {
    ...readResource<T, TQuery, TDetail>(http, path),
    put: (input, init) => http.request<TDetail>('PUT', rowPath(path, keyOf(input)), { ...init, body: input }),
    remove: (key, init) => http.request<void>('DELETE', rowPath(path, key), init),
  };
}
