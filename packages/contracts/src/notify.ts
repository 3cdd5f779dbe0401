import { type Static, Type } from 'typebox';
import { CodeSchema, CursorSchema, LimitSchema, Page } from './common';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

/** A topic name (`ticket.opened`), a prefix (`ticket.*`), or `*` for every business event. */
export const WebhookTopicSchema = Type.String({
  pattern: '^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?)$',
  maxLength: 100,
  description:
    'A topic (`ticket.opened`), a prefix ending in `.*` (`ticket.*`), or `*`. SMS and e-mail messages (`sms.*`, `email.*`) are never sent to webhooks',
});

export const WebhookIdSchema = Type.String({
  pattern: '^wh_[0-9a-f]{16}$',
  description: 'Subscription id, e.g. wh_3f2a9c0d1b7e4a65',
});

/** What a system administrator gives to subscribe a business system (`POST /webhooks`). */
export const WebhookInputSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://[^\\s]+$',
      maxLength: 2000,
      description: 'Receives a signed POST per event; any 2xx answer within 10 s counts as delivered',
    }),
    topics: Type.Array(WebhookTopicSchema, { minItems: 1, maxItems: 20, uniqueItems: true }),
    unitCode: Type.Optional(
      Type.Union([CodeSchema, Type.Null()], {
        description:
          "Only events of this unit's subtree (by the event's unitPath); events without a unit are not sent. Omitted or null: all events",
      }),
    ),
  },
  { additionalProperties: false },
);
export type WebhookInput = Static<typeof WebhookInputSchema>;

/** A subscription as listed: never its secret. */
export const WebhookSchema = Type.Object({
  id: WebhookIdSchema,
  url: Type.String(),
  topics: Type.Array(Type.String()),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean({ description: 'false once deleted; its pending deliveries then go dead' }),
  createdBy: Type.String(),
  createdAt: DateTime,
});
export type Webhook = Static<typeof WebhookSchema>;

/** The answer to `POST /webhooks`: the only time the signing secret is shown. */
export const WebhookCreatedSchema = Type.Object({
  ...WebhookSchema.properties,
  secret: Type.String({
    description: 'Signing secret for x-hcp-signature, shown once; stored encrypted (AES-GCM)',
  }),
});
export type WebhookCreated = Static<typeof WebhookCreatedSchema>;

export const DeliveryStateSchema = Type.Enum(['pending', 'delivered', 'dead'], {
  description: 'pending: waiting or retrying; delivered: sent; dead: gave up (replay to try again)',
});
export type DeliveryState = Static<typeof DeliveryStateSchema>;

const DeliveryTargetSchema = Type.String({
  pattern: '^(sms|email|webhook:wh_[0-9a-f]{16})$',
  description: '`webhook:<subscription id>`, `sms` or `email`',
});

export const DeliveryQuerySchema = Type.Object(
  {
    state: Type.Optional(DeliveryStateSchema),
    target: Type.Optional(DeliveryTargetSchema),
    limit: Type.Optional(LimitSchema),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuerySchema>;

/** One delivery of one outbox message to one target. The message payload is not shown. */
export const DeliverySchema = Type.Object({
  id: Type.String({ description: 'Delivery id (decimal string); sent as x-hcp-delivery' }),
  outboxId: Type.String({ description: 'The message id; sent as `id` in the webhook body' }),
  topic: Type.String(),
  target: Type.String({ description: '`webhook:<subscription id>`, `sms` or `email`' }),
  state: DeliveryStateSchema,
  attempts: Type.Integer({ description: 'Attempts made since creation or the last replay' }),
  nextAttemptAt: DateTime,
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: "The receiver's last HTTP status" }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt failed' }),
  deliveredAt: NullableDateTime,
  createdAt: DateTime,
});
export type Delivery = Static<typeof DeliverySchema>;
export const DeliveryPageSchema = Page(DeliverySchema);

export const DeliveryParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Delivery id' }),
});

export const ReplayDeadQuerySchema = Type.Object(
  { target: Type.Optional(DeliveryTargetSchema) },
  { additionalProperties: false },
);

export const ReplayResultSchema = Type.Object({
  replayed: Type.Integer({ description: 'Dead deliveries put back to pending' }),
});
