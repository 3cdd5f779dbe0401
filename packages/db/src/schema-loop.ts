// Tables of the closed loop (tickets, events, attachments, deadline rules), notifications (outbox,
// webhooks, deliveries), disclosure (moderation, sensitive words) and statistics (rollups):
// migrations 0007–0011. The catalogue, intake and identity tables are in schema.ts.
import type { HandlingPath, TicketOutcome, TicketState } from '@hcp/domain';
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Nullable, Publication, UpdatedAt } from './schema-columns';

/** Working-day deadline rules of a region (unit_code NULL: the default). */
export interface DeadlineRulesTable {
  unit_code: string | null;
  contact_days: number;
  reply_days: number;
  rectify_days: number;
  appeal_days: number;
  appeal_decision_days: number;
  signoff_days: number;
  revisit_natural_days: number;
  remind_hours: number;
  updated_at: UpdatedAt;
}

/** 工单: the closed loop of one bad rating. States and transitions: packages/domain/src/tickets. */
export interface TicketsTable {
  id: Generated<string>;
  evaluation_id: string;
  case_no: string;
  unit_code: string;
  unit_path: string;
  item_code: string;
  window_no: string | null;
  staff_no: string | null;
  state: TicketState;
  handling_path: Nullable<HandlingPath>;
  state_before_appeal: Nullable<TicketState>;
  outcome: Nullable<TicketOutcome>;
  version: ColumnType<number, number | undefined, number>;
  opened_at: Date;
  contact_due: Date;
  reply_due: Date;
  rectify_due: Date;
  appeal_due: Date;
  due_at: Nullable<Date>;
  contacted_at: Nullable<Date>;
  replied_at: Nullable<Date>;
  rectified_at: Nullable<Date>;
  closed_at: Nullable<Date>;
  plan_text: Nullable<string>;
  plan_due: Nullable<Date>;
  reply_text: Nullable<string>;
  rectify_text: Nullable<string>;
  appeal_reason: Nullable<'malicious' | 'mistaken'>;
  appeal_text: Nullable<string>;
  appeal_outcome: Nullable<'upheld' | 'rejected'>;
  revisit_level: Nullable<number>;
  escalation_level: ColumnType<number, number | undefined, number>;
  escalated_at: Nullable<Date>;
  escalated_step: Nullable<string>;
  reminded_step: Nullable<string>;
  updated_at: UpdatedAt;
  reply_public: Nullable<string>;
  reply_publication: Nullable<Publication>;
  rectify_public: Nullable<string>;
  rectify_publication: Nullable<Publication>;
}

export interface TicketEventsTable {
  id: Generated<string>;
  ticket_id: string;
  at: CreatedAt;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_kind: 'account' | 'system' | 'sweep' | 'applicant';
  actor_id: string;
  role: string | null;
  payload: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface TicketAttachmentsTable {
  id: Generated<string>;
  ticket_id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  uploaded_by: string;
  created_at: CreatedAt;
}

/** Transactional outbox: written with the change it announces. */
export interface OutboxTable {
  id: Generated<string>;
  topic: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: CreatedAt;
  dispatched_at: Nullable<Date>;
}

export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  topics: string[];
  secret_enc: string;
  unit_code: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  created_at: CreatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  outbox_id: string;
  target: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_error: Nullable<string>;
  last_status: Nullable<number>;
  delivered_at: Nullable<Date>;
  created_at: CreatedAt;
}

export interface ModerationItemsTable {
  id: Generated<string>;
  subject: 'evaluation_comment' | 'ticket_reply' | 'ticket_rectification';
  subject_id: string;
  unit_path: string;
  original: string;
  redacted: string;
  hits: string[];
  state: ColumnType<'pending' | 'approved' | 'edited', 'pending' | undefined, 'approved' | 'edited'>;
  published: Nullable<string>;
  decided_by: Nullable<string>;
  decided_at: Nullable<Date>;
  created_at: CreatedAt;
  due_at: Date;
}

export interface SensitiveWordsTable {
  word: string;
  created_by: string;
  created_at: CreatedAt;
}

/** A scope's figures for one Shanghai month (0009_stats.sql); maintained by the rollup pass only. */
export interface StatsMonthsTable {
  scope: 'all' | 'unit' | 'item';
  /** Unit code (the rating's unit or any ancestor), item code, or '' for all. */
  code: string;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  ratings: number;
  defaults: number;
  active: number;
  good: number;
  bad: number;
  level_sum: number;
  bad_tickets: number;
  replied: number;
  replied_on_time: number;
  rectified: number;
  revisited: number;
  revisit_satisfied: number;
  appeals: number;
  appeals_upheld: number;
}

/** The rollup pass's single state row. */
export interface StatsRollupStateTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  evaluation_watermark: ColumnType<number, number | undefined, number>;
  as_of: ColumnType<Date, Date | undefined, Date>;
}

/** Tickets queued for the pass by the tickets triggers. */
export interface StatsTicketChangesTable {
  id: Generated<string>;
  ticket_id: string;
}

/** What the pass last counted for a ticket (0/1 flags), so a change folds in as a difference. */
export interface StatsTicketFactsTable {
  ticket_id: string;
  unit_path: string;
  item_code: string;
  month: string;
  level: number;
  upheld: number;
  replied: number;
  replied_on_time: number;
  rectified: number;
  revisited: number;
  revisit_satisfied: number;
  appealed: number;
}
