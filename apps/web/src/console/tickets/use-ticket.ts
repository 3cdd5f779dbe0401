import { HcpApiError } from '@hcp/sdk';
import { shallowRef, watch } from 'vue';
import { errorText } from '../../shared/error-text';
import {
  isStaleTicket,
  type Ticket,
  type TicketActionBody,
  type TicketActionRoute,
  ticketsApi,
} from './tickets-api';

/** Why an action did not go through, for the form that sent it. */
export interface ActionFailure {
  route: TicketActionRoute;
  message: string;
  requestId: string | undefined;
  /** The field the server named, without its `body.` prefix. */
  field: string | null;
}

/** What the last action did: went through, or found the ticket changed (and reloaded it). */
export type ActionOutcome = { kind: 'done'; route: TicketActionRoute } | { kind: 'changed' } | null;

/**
 * One ticket, loaded by id (again when the id changes), and its actions. Every action is sent with
 * the version on screen as `If-Match`; a 409 (changed meanwhile, or no longer allowed) reloads the
 * ticket and says so, instead of leaving a stale page.
 */
export function useTicket(id: () => string) {
  const ticket = shallowRef<Ticket | null>(null);
  const loadError = shallowRef<unknown>(null);
  const loading = shallowRef(false);
  /** The action being sent, if any (one at a time). */
  const busy = shallowRef<TicketActionRoute | null>(null);
  const failure = shallowRef<ActionFailure | null>(null);
  const outcome = shallowRef<ActionOutcome>(null);
  let controller: AbortController | undefined;

  async function load(): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    loadError.value = null;
    try {
      const found = await ticketsApi.get(id(), { signal: mine.signal });
      if (controller === mine) ticket.value = found;
    } catch (e) {
      if (controller === mine) loadError.value = e;
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  /** Sends an action on the ticket as shown; true when it went through. */
  async function act<R extends TicketActionRoute>(route: R, body: TicketActionBody<R>): Promise<boolean> {
    const current = ticket.value;
    if (!current || busy.value) return false;
    busy.value = route;
    failure.value = null;
    outcome.value = null;
    try {
      ticket.value = await ticketsApi.act(current.id, route, body, current.version);
      outcome.value = { kind: 'done', route };
      return true;
    } catch (e) {
      if (isStaleTicket(e)) {
        outcome.value = { kind: 'changed' };
        await load();
      } else {
        const f = e instanceof HcpApiError ? e.details?.field : undefined;
        failure.value = {
          route,
          ...errorText(e),
          field: typeof f === 'string' ? f.replace(/^body\./, '') : null,
        };
      }
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** Forgets the last action's outcome and failure (e.g. when a form is opened again). */
  function clear(): void {
    failure.value = null;
    outcome.value = null;
  }

  watch(
    id,
    () => {
      ticket.value = null;
      clear();
      void load();
    },
    { immediate: true },
  );

  return { ticket, loadError, loading, busy, failure, outcome, load, act, clear };
}

/** The state and methods returned by useTicket. */
export type TicketHandle = ReturnType<typeof useTicket>;
