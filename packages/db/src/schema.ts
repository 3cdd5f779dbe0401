import type {
  CaseStatus,
  ChannelId,
  ItemKind,
  ItemSubject,
  PromiseType,
  UnitKind,
  UnitLevel,
} from '@hcp/domain';
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Publication, UpdatedAt } from './schema-columns';
import type {
  DeadlineRulesTable,
  DeliveriesTable,
  ModerationItemsTable,
  OutboxTable,
  SensitiveWordsTable,
  StatsMonthsTable,
  StatsRollupStateTable,
  StatsTicketChangesTable,
  StatsTicketFactsTable,
  TicketAttachmentsTable,
  TicketEventsTable,
  TicketsTable,
  WebhookSubscriptionsTable,
} from './schema-loop';

export type { Publication } from './schema-columns';
export * from './schema-loop';

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
  /** When the default-rating sweep settled the case after its rating window closed (rated or not). */
  window_settled_at: Date | null;
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

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  /** The first answer's body; null for a rating's key, whose answer is the evaluation itself. */
  response: ColumnType<unknown, string | null, string | null>;
  evaluation_id: ColumnType<string | null, string | null | undefined, string | null>;
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
