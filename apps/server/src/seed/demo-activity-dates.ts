/**
 * Dating the demo's rows. The use cases take the simulated time as `now`, but a few columns take
 * the database's own now(): a rating's created_at, a case's window_settled_at, a token's created_at, the
 * outbox's created_at. The run records when each of those rows really belongs and sets them back in
 * a few set-based statements (a rating's row is updated once, not once per rating).
 */
import type { DB } from '@hcp/db';
import { DEFAULT_BURST_RULE } from '@hcp/domain';
import { type Kysely, sql } from 'kysely';

const iso = (t: number) => new Date(t).toISOString();

/** Rows written with the database's clock, waiting to be dated. */
export class Backdating {
  private ratings: { id: string; at: number }[] = [];
  private tokens: { hash: string; at: number }[] = [];
  private sweeps: Date[] = [];
  /** Undated five-star ratings per device, which the burst rule would count as recent. */
  private tops = new Map<string, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly o: { source: string; windowDays: number; outboxMark: string; eventMark: string },
  ) {}

  /** A rating written at `at`. */
  rating(id: string, at: number, top: { level: number; deviceId?: string | undefined }) {
    this.ratings.push({ id, at });
    if (top.level === 5 && top.deviceId) this.tops.set(top.deviceId, (this.tops.get(top.deviceId) ?? 0) + 1);
  }

  /** A round-1 rating token (SMS invitation, QR code) issued at `at`. */
  token(hash: string, at: number) {
    this.tokens.push({ hash, at });
  }

  /** A default-rating sweep run at `now`: its ratings are dated at each window's close. */
  defaultSweep(now: Date) {
    this.sweeps.push(now);
  }

  /**
   * Whether writing these ratings now would see undated five-star ratings of their devices as
   * recent (the burst rule, 10 in 10 minutes): then date first.
   */
  wouldMisleadBurst(devices: Map<string, number>): boolean {
    for (const [device, n] of devices) {
      if ((this.tops.get(device) ?? 0) + n >= DEFAULT_BURST_RULE.maxTopRatings) return true;
    }
    return this.ratings.length >= 2000;
  }

  /** Dates everything recorded so far. */
  async flush() {
    const { ratings, tokens, sweeps } = this;
    this.ratings = [];
    this.tokens = [];
    this.sweeps = [];
    this.tops.clear();
    if (ratings.length) {
      await sql`
        WITH v AS (SELECT * FROM unnest(${ratings.map((r) => r.id)}::bigint[],
                                        ${ratings.map((r) => iso(r.at))}::timestamptz[]) AS v(id, at))
        UPDATE evaluations e SET created_at = v.at FROM v WHERE e.id = v.id`.execute(this.db);
    }
    if (tokens.length) {
      await sql`
        UPDATE rating_tokens SET created_at = v.at
        FROM unnest(${tokens.map((t) => t.hash)}::text[], ${tokens.map((t) => iso(t.at))}::timestamptz[]) AS v(hash, at)
        WHERE token_hash = v.hash`.execute(this.db);
    }
    if (sweeps.length) {
      // The sweep stamped its cases with its own `now`; they, and the default ratings it recorded,
      // belong to their windows' close.
      await sql`
        WITH c AS (
          UPDATE cases SET window_settled_at = completed_at + make_interval(days => ${this.o.windowDays}::int)
          WHERE source = ${this.o.source}
            AND window_settled_at = ANY(${sweeps.map((s) => s.toISOString())}::timestamptz[])
          RETURNING case_no, window_settled_at
        )
        UPDATE evaluations e SET created_at = c.window_settled_at FROM c
        WHERE e.case_no = c.case_no AND e.round = 1 AND e.is_default`.execute(this.db);
    }
  }

  /**
   * The end of the run: the outbox news and re-rating tokens written in a ticket's transaction take
   * the time of the ticket event written in the same transaction (same xmin; neither table's rows
   * are updated before this runs). News is recorded as dispatched: it belongs to the simulated past,
   * so no SMS, e-mail or webhook goes out for it now.
   */
  async finish() {
    await this.flush();
    await sql`
      UPDATE outbox o SET created_at = ev.at, dispatched_at = ev.at
      FROM ticket_events ev
      WHERE o.id > ${this.o.outboxMark}::bigint AND ev.id > ${this.o.eventMark}::bigint AND ev.xmin = o.xmin`.execute(
      this.db,
    );
    await sql`
      UPDATE outbox SET dispatched_at = created_at
      WHERE id > ${this.o.outboxMark}::bigint AND dispatched_at IS NULL`.execute(this.db);
    // A re-rating token is issued when the ticket enters its revisit (offerRevisit), once per ticket.
    await sql`
      UPDATE rating_tokens rt SET created_at = ev.at
      FROM tickets t JOIN ticket_events ev ON ev.ticket_id = t.id AND ev.to_state = 'revisiting'
      JOIN cases c ON c.case_no = t.case_no AND c.source = ${this.o.source}
      WHERE rt.round = 2 AND rt.case_no = t.case_no AND ev.id > ${this.o.eventMark}::bigint`.execute(this.db);
  }
}
