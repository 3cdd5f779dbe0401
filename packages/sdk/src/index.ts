import type {
  Channel,
  Item,
  ItemInput,
  ItemQuery,
  RatingCatalog,
  Staff,
  StaffInput,
  StaffQuery,
  Unit,
  UnitDetail,
  UnitInput,
  UnitQuery,
  Window,
  WindowInput,
  WindowQuery,
} from '@hcp/contracts';
import { createHttp, type HcpClientOptions, type RequestOptions } from './http';
import { intakeApi } from './intake';
import { resource } from './resource';

export type { Channel } from '@hcp/contracts';
export {
  buildQuery,
  type CallOptions,
  type CredentialOptions,
  HcpApiError,
  type HcpClientOptions,
  type Http,
  isTransientError,
  type RequestOptions,
} from './http';
export type {
  CreateEvaluationOptions,
  PadInfo,
  PadPairing,
  PadRatingRequest,
  PadStreamOptions,
} from './intake';
export { type ReadResource, type Resource, readResource, resource } from './resource';
export {
  connectEventStream,
  type EventStreamHandle,
  type EventStreamOptions,
  type SseEvent,
  SseParser,
  type StreamStatus,
} from './sse';

const API = '/api/v1';

/** Typed client for the Haochaping HTTP API; every call of the web app goes through one of these. */
export function createHcpClient(opts: HcpClientOptions = {}) {
  const http = createHttp(opts);
  return {
    /** The low-level transport, for endpoints without a resource yet. */
    http,
    units: resource<Unit, UnitInput, UnitQuery, UnitDetail>(http, `${API}/units`, (u) => u.code),
    items: resource<Item, ItemInput, ItemQuery>(http, `${API}/items`, (i) => i.code),
    windows: resource<Window, WindowInput, WindowQuery>(http, `${API}/windows`, (w) => w.no),
    staff: resource<Staff, StaffInput, StaffQuery>(http, `${API}/staff`, (s) => s.staffNo),
    channels: {
      /** All rating channels. */
      list: (init?: RequestOptions) => http.request<Channel[]>('GET', `${API}/channels`, init),
    },
    ratingCatalog: {
      /** The indicator and bad-rating reason catalogue in force now. */
      current: (init?: RequestOptions) => http.request<RatingCatalog>('GET', `${API}/rating-catalog`, init),
    },
    ...intakeApi(http),
  };
}

/** The client returned by createHcpClient. */
export type HcpClient = ReturnType<typeof createHcpClient>;
