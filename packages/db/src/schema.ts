import type {
  CaseStatus,
  ChannelId,
  HandlingPath,
  ItemKind,
  ItemSubject,
  PromiseType,
  TicketOutcome,
  TicketState,
  UnitKind,
  UnitLevel,
} from '@hcp/domain';
import type { ColumnType, Generated } from 'kysely';

/** Timestamps default to now() in SQL and come back as Date. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

/** 承办单位 handling unit; `path` is the materialized path `310000/310101/…/` used for subtrees. */
export interface UnitsTable {
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parent_code: string | null;
  path: string;
  credit_code: string | null;
  division_code: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 窗口 window in a hall. */
export interface WindowsTable {
  no: string;
  name: string;
  hall: string;
  unit_code: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 承办人 staff member; staff_no (工号) is public, the name is shown masked. */
export interface StaffTable {
  staff_no: string;
  name: string;
  unit_code: string;
  window_no: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 事项 service item keyed by its implementation code (实施编码). */
export interface ItemsTable {
  code: string;
  base_code: string;
  business_code: string | null;
  name: string;
  kind: ItemKind;
  subject: ItemSubject;
  promise_type: PromiseType;
  promise_days: number | null;
  unit_code: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RatingCatalogVersionsTable {
  version: string;
  effective_from: string;
  created_at: CreatedAt;
}

export interface RatingIndicatorsTable {
  version: string;
  channel_type: 'online' | 'offline';
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
}

export interface RatingReasonsTable {
  version: string;
  code: string;
  category: 'staff' | 'item';
  name_zh: string;
  name_en: string;
  sort: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/** 办件 case pushed by a business system; personal data only hashed, encrypted or masked. */
export interface CasesTable {
  case_no: string;
  item_code: string;
  unit_code: string;
  unit_path: string;
  window_no: string | null;
  staff_no: string | null;
  applicant_kind: 'person' | 'organization';
  applicant_cert_type: string;
  applicant_cert_hash: string;
  applicant_name: string;
  applicant_name_enc: string;
  applicant_name_hash: string;
  applicant_phone_enc: string | null;
  applicant_phone_hash: string | null;
  promise_type: PromiseType;
  status: CaseStatus;
  accepted_at: Date;
  completed_at: Date | null;
  rated_at: Date | null;
  source: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** 评价 evaluation: one per case and round, with the three correspondences copied in. */
export interface EvaluationsTable {
  id: Generated<string>;
  case_no: string;
  round: number;
  level: number;
  is_default: ColumnType<boolean, boolean | undefined, boolean>;
  channel: ChannelId;
  catalog_version: string;
  indicators: ColumnType<Record<string, number>, string, string>;
  reasons: string[];
  comment: string | null;
  applicant_hash: string;
  item_code: string;
  unit_code: string;
  unit_path: string;
  window_no: string | null;
  staff_no: string | null;
  actor_kind: 'system' | 'token' | 'operator' | 'sweep';
  actor_id: string;
  account: string | null;
  device_id: string | null;
  ip: string | null;
  flags: string[];
  created_at: CreatedAt;
  /** pending (publisher not run yet), published, held (in the moderation queue). */
  publication: ColumnType<Publication, Publication | undefined, Publication>;
  /** The redacted comment as published; NULL without a comment or before publication. */
  comment_public: ColumnType<string | null, string | null | undefined, string | null>;
  /** Two-character grams of comment_public, for indexed substring search. */
  comment_grams: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
}

export type Publication = 'pending' | 'published' | 'held';

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

export interface RatingTokensTable {
  token_hash: string;
  case_no: string;
  round: number;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

/** 评价器 window rating pad. */
export interface PadsTable {
  id: string;
  name: string | null;
  window_no: string;
  pairing_code_hash: string | null;
  pairing_expires_at: Date | null;
  token_hash: string | null;
  paired_at: Date | null;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  created_at: CreatedAt;
}

export type Role = 'staff' | 'unit_admin' | 'supervisor' | 'auditor' | 'sysadmin';

/** A person's account, scoped to a unit subtree. */
export interface AccountsTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: Role;
  unit_code: string | null;
  staff_no: string | null;
  password_hash: string | null;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  totp_secret_enc: string | null;
  totp_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  totp_last_step: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SessionsTable {
  id_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor_kind: 'account' | 'system' | 'cli' | 'anonymous';
  actor_id: string;
  role: string | null;
  via: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  request_id: string | null;
}

/** A system's API key (the secret only as an HMAC). */
export interface ApiKeysTable {
  id: string;
  name: string;
  secret_hash: string;
  channels: string[];
  operations: string[];
  unit_code: string | null;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  replaced_by: string | null;
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

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

/** The whole schema as Kysely sees it. */
export interface DB {
  units: UnitsTable;
  windows: WindowsTable;
  staff: StaffTable;
  items: ItemsTable;
  rating_catalog_versions: RatingCatalogVersionsTable;
  rating_indicators: RatingIndicatorsTable;
  rating_reasons: RatingReasonsTable;
  schema_migrations: SchemaMigrationsTable;
  cases: CasesTable;
  evaluations: EvaluationsTable;
  idempotency_keys: IdempotencyKeysTable;
  rating_tokens: RatingTokensTable;
  pads: PadsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  deadline_rules: DeadlineRulesTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_attachments: TicketAttachmentsTable;
  outbox: OutboxTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  deliveries: DeliveriesTable;
  moderation_items: ModerationItemsTable;
  sensitive_words: SensitiveWordsTable;
  stats_months: StatsMonthsTable;
  stats_rollup_state: StatsRollupStateTable;
  stats_ticket_changes: StatsTicketChangesTable;
  stats_ticket_facts: StatsTicketFactsTable;
}
