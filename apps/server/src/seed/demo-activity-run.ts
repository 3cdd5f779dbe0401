/**
 * Plays a demo-activity plan (demo-activity-plan.ts) through the real code paths, in time order, as
 * if the year had happened: ratings through writeRatings (which opens the tickets), ticket actions
 * through applyTicketAction, re-ratings with the revisit's SMS token, default ratings through
 * sweepDefaultRatings, and at night the ticket sweeps and the publisher. Each call gets the
 * simulated time as its `now`; what the database stamps with its own now() is dated afterwards
 * (demo-activity-dates.ts), so every row reads as if written at its moment.
 *
 * Ratings are written in time order, and one kind at a time (a batch of good ratings, a bad one, a
 * default-rating sweep, a re-rating), so that evaluation ids follow created_at as they do in
 * production: the public reads turn date ranges into id ranges.
 */
import { currentRatingCatalog, type DB, inTransaction } from '@hcp/db';
import {
  DEFAULT_BURST_RULE,
  type RatingCatalogData,
  ratingWindowClosesAt,
  shanghaiDay,
  type TicketParty,
  type TicketState,
} from '@hcp/domain';
import { type Kysely, sql } from 'kysely';
import { runPublisher } from '../disclosure/publisher';
import type { RatingRequest } from '../intake/rating-request';
import { issueRatingToken } from '../intake/rating-tokens';
import { sweepDefaultRatings } from '../intake/sweep-default-ratings';
import { writeRatings } from '../intake/write-ratings';
import type { Protector } from '../security/protector';
import type { DeadlinePolicy } from '../tickets/deadline-rules';
import { sweepTickets } from '../tickets/sweep-tickets';
import { applyTicketAction, type TicketRow } from '../tickets/transition';
import { Backdating } from './demo-activity-dates';
import type { PlannedCase, TicketPlan } from './demo-activity-plan';
import { firstRatingInput, reRatingRequest } from './demo-activity-requests';
import { nextTicketStep, type TicketStep } from './demo-activity-tickets';
import { DAY, dayStart, HOUR, MINUTE } from './demo-activity-time';
import { Timeline } from './demo-activity-timeline';
import { type Rng, subRng } from './demo-random';

/** What a run needs besides the plan. */
export interface RunDeps {
  db: Kysely<DB>;
  protector: Protector;
  policy: DeadlinePolicy;
  publicUrl: string;
  windowDays: number;
  /** Where cases are marked (cases.source). */
  source: string;
  log: (line: string) => void;
}

/** A ticket being played: its plan, its own random draws, and what it has done so far. */
export interface TicketRun {
  c: PlannedCase;
  plan: TicketPlan;
  id: string;
  rng: Rng;
  steps: number;
  appealed: boolean;
  escalated: Set<TicketState>;
}

type Event =
  | { at: number; kind: 'rate' | 'default'; c: PlannedCase }
  | { at: number; kind: 'night' }
  | { at: number; kind: 'step'; run: TicketRun; from: TicketState; step: TicketStep };

/** Round-1 ratings per writeRatings call at most (the server's writer batches up to 256). */
const MAX_BATCH = 200;
/** Default ratings recorded in one sweep span at most this much time (ids follow created_at). */
const DEFAULT_SPAN = 10 * MINUTE;
/** The publisher runs weekly, and nightly in the last month (what moderation holds is recent). */
const NIGHTLY_PUBLISHING = 31 * DAY;

/** Counts of what the run wrote. */
export interface RunCounts {
  ratings: number;
  defaults: number;
  reRatings: number;
  tickets: number;
  actions: number;
}

/** Plays the plan up to `now`; see the module comment. */
export class ActivityRun {
  readonly counts: RunCounts = { ratings: 0, defaults: 0, reRatings: 0, tickets: 0, actions: 0 };
  private readonly timeline = new Timeline<Event>();
  private batch: PlannedCase[] = [];
  private defaults: PlannedCase[] = [];
  private dates!: Backdating;
  private textsPending = false;
  private versions: { version: string; from: string }[] = [];
  private catalogs = new Map<string, RatingCatalogData>();
  private remindHours = 24;
  private month = '';
  private start = 0;
  /**
   * Open tickets' current deadlines, and whether a sweep has seen each one coming (due within the
   * reminder horizon) and passed (overdue, or a revisit run out): a night sweeps only then.
   */
  private open = new Map<string, { step: string; due: number; soon: boolean; past: boolean }>();

  constructor(
    private readonly d: RunDeps,
    private readonly seed: number,
    private readonly now: number,
  ) {}

  /** Plays every planned rating, default, ticket step and nightly pass in time order. */
  async play(plan: PlannedCase[], start: number): Promise<void> {
    this.start = start;
    const rows = await this.d.db
      .selectFrom('rating_catalog_versions')
      .select(['version', 'effective_from'])
      .orderBy('effective_from')
      .execute();
    this.versions = rows.map((r) => ({ version: r.version, from: String(r.effective_from) }));
    this.remindHours = (await this.d.policy.rules()).find((r) => r.path === null)?.rule.remindHours ?? 24;
    const marks = await sql<{ outbox: string | null; event: string | null }>`
      SELECT (SELECT max(id) FROM outbox)::text AS outbox, (SELECT max(id) FROM ticket_events)::text AS event`.execute(
      this.d.db,
    );
    this.dates = new Backdating(this.d.db, {
      source: this.d.source,
      windowDays: this.d.windowDays,
      outboxMark: marks.rows[0]?.outbox ?? '0',
      eventMark: marks.rows[0]?.event ?? '0',
    });
    for (const c of plan) {
      if (c.rating) this.timeline.push({ at: c.rating.at, kind: 'rate', c });
      if (c.defaulted) this.timeline.push({ at: c.close!, kind: 'default', c });
    }
    // The server sweeps and publishes all the time; a nightly pass (01:00) is close enough here.
    for (let t = dayStart(start) + DAY + HOUR; t < this.now; t += DAY) {
      this.timeline.push({ at: t, kind: 'night' });
    }
    while (this.timeline.size > 0) await this.handle(this.timeline.pop());
    await this.night(this.now);
    await this.dates.finish();
  }

  private async handle(e: Event) {
    switch (e.kind) {
      case 'rate':
        if (!e.c.ticket) return this.queueRating(e.c);
        await this.flush();
        return this.rateBad(e.c);
      case 'default': {
        await this.flushRatings();
        const first = this.defaults[0];
        if (first && e.at - first.close! > DEFAULT_SPAN) await this.flushDefaults();
        this.defaults.push(e.c);
        return;
      }
      case 'step':
        // Only a re-rating writes a rating; the other steps need not wait for pending ones.
        if (e.step.party === 'applicant') await this.flush();
        return this.step(e);
      case 'night':
        return this.night(e.at);
    }
  }

  private async flush() {
    await this.flushRatings();
    await this.flushDefaults();
  }

  /**
   * Good ratings go in batches, written with the latest rating's time as `now`. A batch ends before
   * a rating that would fall after an earlier one's window, and before a device's tenth five-star
   * rating (the burst rule counts a batch's own).
   */
  private async queueRating(c: PlannedCase) {
    if (this.defaults.length > 0) await this.flushDefaults();
    const r = c.rating!;
    const b = this.batch;
    const tops = (device?: string) =>
      device ? b.filter((x) => x.rating!.level === 5 && x.rating!.deviceId === device).length : 0;
    if (
      b.length >= MAX_BATCH ||
      b.some((x) => x.close! < r.at) ||
      (r.level === 5 && tops(r.deviceId) >= DEFAULT_BURST_RULE.maxTopRatings - 1)
    ) {
      await this.flushRatings();
    }
    this.batch.push(c);
  }

  private async flushRatings() {
    const batch = this.batch.splice(0);
    if (batch.length === 0) return;
    await this.write(batch, 1, batch[batch.length - 1]!.rating!.at);
    this.counts.ratings += batch.length;
  }

  /** Writes round-`round` ratings of these cases at `at` through writeRatings; returns their ids. */
  private async write(cases: PlannedCase[], round: 1 | 2, at: number, token?: string): Promise<string[]> {
    const requests: RatingRequest[] = [];
    const devices = new Map<string, number>();
    for (const c of cases) {
      const request =
        round === 1 ? await this.firstRating(c) : reRatingRequest(c, this.d.protector.hash('token', token!));
      const device = request.input.deviceId;
      if (request.input.level === 5 && device) devices.set(device, (devices.get(device) ?? 0) + 1);
      requests.push(request);
    }
    if (this.dates.wouldMisleadBurst(devices)) await this.dates.flush();
    const results = await writeRatings(this.d.db, requests, {
      now: new Date(at),
      windowDays: this.d.windowDays,
      catalog: await this.catalogAt(at),
      burst: DEFAULT_BURST_RULE,
      tickets: { policy: this.d.policy, protector: this.d.protector, publicUrl: this.d.publicUrl },
    });
    return results.map((res, i) => {
      const c = cases[i]!;
      if (!('body' in res)) throw new Error(`demo rating of ${c.input.caseNo} refused: ${res.error.message}`);
      this.dates.rating(res.body.id, round === 1 ? c.rating!.at : at, requests[i]!.input);
      if (res.body.comment) this.textsPending = true;
      return res.body.id;
    });
  }

  /** A round-1 request as its channel sends it; an SMS link or a QR code carries a token. */
  private async firstRating(c: PlannedCase): Promise<RatingRequest> {
    const r = c.rating!;
    const input = firstRatingInput(c);
    if (r.rater.kind !== 'token') return { input, actor: r.rater, ip: null };
    // Issued as mintRatingToken does: valid until the rating window closes.
    const expires = ratingWindowClosesAt(new Date(c.completed!), this.d.windowDays);
    const t = await issueRatingToken(this.d, c.input.caseNo, 1, expires);
    const hash = this.d.protector.hash('token', t.token);
    this.dates.token(hash, r.rater.mintAt);
    return { input, actor: { kind: 'token', id: hash }, ip: null };
  }

  /** A bad first rating: written alone at its own time, so its ticket opens at that moment. */
  private async rateBad(c: PlannedCase) {
    const at = c.rating!.at;
    const [id] = await this.write([c], 1, at);
    this.counts.ratings += 1;
    // The ticket's updated_at took the database's clock when it opened.
    const row = await this.d.db
      .updateTable('tickets')
      .set({ updated_at: sql<Date>`opened_at` })
      .where('evaluation_id', '=', id!)
      .returningAll()
      .executeTakeFirstOrThrow();
    this.counts.tickets += 1;
    const run: TicketRun = {
      c,
      plan: c.ticket!,
      id: String(row.id),
      rng: subRng(this.seed, c.ticket!.seed),
      steps: 0,
      appealed: false,
      escalated: new Set(),
    };
    this.schedule(run, row, at);
  }

  private schedule(run: TicketRun, row: TicketRow, prev: number) {
    const due = row.due_at?.getTime();
    if (row.state === 'closed' || due === undefined) this.open.delete(run.id);
    else if (this.open.get(run.id)?.step !== `${row.state}@${due}`) {
      this.open.set(run.id, { step: `${row.state}@${due}`, due, soon: false, past: false });
    }
    const next = nextTicketStep(run, row, prev, this.d.policy.calendar);
    if (next && next.at < this.now) this.timeline.push({ kind: 'step', run, from: row.state, ...next });
  }

  /** One ticket step: an action by the unit or the supervisor, or the applicant's re-rating. */
  private async step(e: Extract<Event, { kind: 'step' }>) {
    const { run } = e;
    if (e.step.party === 'applicant') return this.rerate(run, e.at);
    const { party, input } = e.step;
    const after = await inTransaction(this.d.db, async (trx) => {
      const row = await trx
        .selectFrom('tickets')
        .selectAll()
        .where('id', '=', run.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      // A sweep moved it meanwhile (its revisit ran out): plan again from where it is.
      if (row.state !== e.from) return row;
      this.counts.actions += 1;
      return applyTicketAction(trx, row, party, actorOf(party), input, {
        now: new Date(e.at),
        policy: this.d.policy,
        protector: this.d.protector,
        publicUrl: this.d.publicUrl,
      });
    });
    if (input.action === 'reply' || input.action === 'rectify') this.textsPending = true;
    run.steps += 1;
    this.schedule(run, after, e.at);
  }

  /** The applicant re-rates with the link that the revisit's SMS carried (round 2). */
  private async rerate(run: TicketRun, at: number) {
    const sms = await sql<{ text: string }>`
      SELECT payload->>'text' AS text FROM outbox
      WHERE topic = 'sms.revisit' AND payload->>'caseNo' = ${run.c.input.caseNo}
      ORDER BY id DESC LIMIT 1`.execute(this.d.db);
    const token = /\/r\/(rt_[A-Za-z0-9_-]+)/.exec(sms.rows[0]?.text ?? '')?.[1];
    if (!token) throw new Error(`no re-rating link was sent for case ${run.c.input.caseNo}`);
    await this.write([run.c], 2, at, token);
    this.counts.reRatings += 1;
    run.steps += 1;
    const row = await this.d.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    this.schedule(run, row, at);
  }

  /** Default ratings: one sweep for windows that closed within a few minutes, just after the last. */
  private async flushDefaults() {
    const group = this.defaults.splice(0);
    if (group.length === 0) return;
    const now = new Date(group[group.length - 1]!.close! + 1);
    this.counts.defaults += await sweepDefaultRatings(this.d.db, {
      now,
      windowDays: this.d.windowDays,
      today: shanghaiDay(now),
    });
    this.dates.defaultSweep(now);
  }

  /** The nightly pass: ticket sweeps (revisit expiry, 督办, reminders) and the publisher. */
  private async night(at: number) {
    const now = new Date(at);
    const last = at === this.now;
    if (last) await this.flush();
    const horizon = at + this.remindHours * HOUR;
    const past = [...this.open.values()].filter((t) => t.due < at);
    const soon = [...this.open.values()].filter((t) => t.due >= at && t.due < horizon);
    if (past.some((t) => !t.past) || soon.some((t) => !t.soon) || (last && this.open.size > 0)) {
      await sweepTickets(this.d.db, { now, remindHours: this.remindHours });
      for (const t of past) t.past = true;
      for (const t of soon) t.soon = true;
    }
    const weekly = Math.floor((at - this.start) / DAY) % 7 === 0 || at > this.now - NIGHTLY_PUBLISHING;
    if ((this.textsPending && weekly) || last) {
      await this.flushRatings();
      this.textsPending = false;
      await runPublisher({ db: this.d.db, protector: this.d.protector, now: () => now });
    }
    const month = shanghaiDay(now).slice(0, 7);
    if (month !== this.month || last) {
      this.month = month;
      const c = this.counts;
      this.d.log(
        `  activity ${shanghaiDay(now)}: ${c.ratings} ratings, ${c.defaults} default, ${c.tickets} tickets`,
      );
    }
  }

  /** The rating catalogue version in force on the Shanghai day of `at`. */
  private async catalogAt(at: number): Promise<RatingCatalogData> {
    const day = shanghaiDay(new Date(at));
    const v = this.versions.filter((x) => x.from <= day).pop() ?? this.versions[0];
    if (!v) throw new Error('no rating catalogue: run the migrations and reference data first');
    let data = this.catalogs.get(v.version);
    if (!data) {
      const found = await currentRatingCatalog(this.d.db, v.from);
      if (!found) throw new Error(`rating catalogue ${v.version} not found`);
      data = found;
      this.catalogs.set(v.version, data);
    }
    return data;
  }
}

/** The unit and the supervising office act as the demo itself (there are no demo accounts). */
function actorOf(party: TicketParty) {
  return {
    kind: 'system' as const,
    id: 'demo-activity',
    role: party === 'supervisor' ? 'supervisor' : 'unit_admin',
  };
}
