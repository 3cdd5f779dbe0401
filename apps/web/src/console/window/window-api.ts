import type { Evaluation, Staff, Window } from '@hcp/contracts';
import type { RequestOptions } from '@hcp/sdk';
import { consoleClient } from '../console-api';

export type { Evaluation, Staff, Window };

const API = '/api/v1/windows';
/** How many ratings the page shows before the stream goes live (the server allows up to 100). */
export const LATEST_LIMIT = 20;
/** A window number as the server accepts it in a path. */
export const WINDOW_NO = /^[A-Za-z0-9_-]{1,50}$/;

const path = (windowNo: string, rest: string) => `${API}/${encodeURIComponent(windowNo)}${rest}`;

/** The window feed's endpoints, through the console's SDK client (the session cookie goes along). */
export const windowApi = {
  /** The latest ratings at a window, newest first; 404 when the caller may not see the window. */
  latest: (windowNo: string, init?: RequestOptions) =>
    consoleClient.http.request<Evaluation[]>('GET', path(windowNo, '/evaluations'), {
      ...init,
      query: { limit: LATEST_LIMIT },
    }),
  /** Where the window's server-sent events come from (an EventSource URL: same origin, cookie session). */
  eventsUrl: (windowNo: string) => path(windowNo, '/events'),
  /** A staff member's catalogue record: their window (`windowNo`, or null when they have none). */
  staff: (staffNo: string, init?: RequestOptions) => consoleClient.staff.get(staffNo, init),
  /** A window's catalogue record: its name, hall and unit. */
  window: (windowNo: string, init?: RequestOptions) => consoleClient.windows.get(windowNo, init),
};
