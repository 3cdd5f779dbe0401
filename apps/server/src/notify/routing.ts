/** An active webhook subscription as the fan-out sees it. */
export interface RouteSubscription {
  id: string;
  topics: string[];
  /** Materialized path of the subscription's unit (`310000/310101/`); null: unscoped. */
  unitPath: string | null;
}

/** Webhook delivery targets are `webhook:<subscription id>`. */
export const WEBHOOK_TARGET_PREFIX = 'webhook:';

/**
 * Topics addressed to a person rather than announcing a change: their payloads hold message texts
 * with rating links (bearer tokens) and e-mail addresses, so they go to their adapter only and never
 * to a webhook, whatever it subscribed to.
 */
const ADAPTER_TOPICS: { prefix: string; target: 'sms' | 'email' }[] = [
  { prefix: 'sms.', target: 'sms' },
  { prefix: 'email.', target: 'email' },
];

/** Whether a topic is an SMS or e-mail command (never sent to webhooks, never subscribable). */
export function isAdapterTopic(topic: string): boolean {
  return ADAPTER_TOPICS.some((a) => topic.startsWith(a.prefix));
}

/** A subscription topic matches a message topic when equal, or when it ends in `*` and prefixes it. */
export function topicMatches(subscribed: string, topic: string): boolean {
  return subscribed.endsWith('*') ? topic.startsWith(subscribed.slice(0, -1)) : subscribed === topic;
}

/**
 * The delivery targets of one outbox message: `sms` for `sms.*`, `email` for `email.*`, else one
 * `webhook:<id>` per active subscription whose topics match and whose unit subtree holds the
 * message's `payload.unitPath` (a message without a unitPath reaches unscoped subscriptions only).
 */
export function targetsOf(
  topic: string,
  payload: Record<string, unknown>,
  subscriptions: RouteSubscription[],
): string[] {
  const adapter = ADAPTER_TOPICS.find((a) => topic.startsWith(a.prefix));
  if (adapter) return [adapter.target];
  const unitPath = typeof payload.unitPath === 'string' ? payload.unitPath : null;
  return subscriptions
    .filter(
      (s) =>
        s.topics.some((t) => topicMatches(t, topic)) &&
        (s.unitPath === null || unitPath?.startsWith(s.unitPath) === true),
    )
    .map((s) => `${WEBHOOK_TARGET_PREFIX}${s.id}`);
}
