import { createHmac } from 'node:crypto';
import type { SmsSender } from '../intake/sms';
import type { Protector } from '../security/protector';
import type { EmailSender } from './email';
import { WEBHOOK_TARGET_PREFIX } from './routing';

/** A claimed delivery with what sending it needs (joined in one query by deliver-due.ts). */
export interface ClaimedDelivery {
  id: string;
  target: string;
  attempts: number;
  outboxId: string;
  topic: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  webhook: { url: string; secretEnc: string; active: boolean } | null;
  /** For `sms`: whether the case named by payload.caseNo exists, and its sealed phone. */
  smsCase: { found: boolean; phoneEnc: string | null };
}

export interface SendDeps {
  protector: Protector;
  sms: SmsSender;
  email: EmailSender;
  now: () => Date;
  /** Webhook request timeout; 10 s unless a test shortens it. */
  webhookTimeoutMs?: number;
}

/** The outcome of one attempt: `status` is the receiver's HTTP status when there was one. */
export type SendResult =
  | { ok: true; status: number | null }
  | { ok: false; status: number | null; error: string };

/** A failure that no retry can mend (no phone on the case, a deleted subscription): dead at once. */
export class PermanentFailure extends Error {}

const ERROR_TEXT_MAX = 500;

/** Error text as stored in `last_error`: one line, at most 500 characters. */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  let text =
    e?.name === 'TimeoutError' ? 'timed out' : (e?.message ?? String(error)).replace(/\s+/g, ' ').trim();
  const cause = e?.cause?.code ?? e?.cause?.message;
  if (cause) text = `${text} (${cause})`;
  return text.length > ERROR_TEXT_MAX ? `${text.slice(0, ERROR_TEXT_MAX - 1)}…` : text;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the x-hcp-signature header value. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Makes one attempt at a claimed delivery. Never throws: failures come back as results, and a
 * failure that retrying cannot fix is marked permanent (`error` starts with the reason).
 */
export async function sendDelivery(
  deps: SendDeps,
  d: ClaimedDelivery,
): Promise<SendResult & { permanent?: boolean }> {
  try {
    if (d.target.startsWith(WEBHOOK_TARGET_PREFIX)) return await sendWebhook(deps, d);
    if (d.target === 'sms') await sendSms(deps, d);
    else if (d.target === 'email') await sendEmail(deps, d);
    else throw new PermanentFailure(`unknown target ${d.target}`);
    return { ok: true, status: null };
  } catch (error) {
    return { ok: false, status: null, error: errorText(error), permanent: error instanceof PermanentFailure };
  }
}

async function sendWebhook(
  deps: SendDeps,
  d: ClaimedDelivery,
): Promise<SendResult & { permanent?: boolean }> {
  if (!d.webhook) throw new PermanentFailure('webhook subscription not found');
  if (!d.webhook.active) throw new PermanentFailure('webhook subscription deactivated');
  let secret: string;
  try {
    secret = deps.protector.decrypt(d.webhook.secretEnc);
  } catch {
    throw new PermanentFailure('webhook secret cannot be opened (server secret changed?)');
  }
  const body = JSON.stringify({
    id: d.outboxId,
    topic: d.topic,
    createdAt: d.createdAt.toISOString(),
    payload: d.payload,
  });
  const timestamp = String(Math.floor(deps.now().getTime() / 1000));
  const res = await fetch(d.webhook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hcp-delivery': d.id,
      'x-hcp-timestamp': timestamp,
      'x-hcp-signature': signWebhook(secret, timestamp, body),
    },
    body,
    // A redirect is not followed (it would turn the POST into a GET elsewhere): it is a failure.
    redirect: 'manual',
    signal: AbortSignal.timeout(deps.webhookTimeoutMs ?? 10_000),
  });
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel();
    return { ok: true, status: res.status };
  }
  const text = await startOfBody(res, 200);
  return { ok: false, status: res.status, error: errorText(`HTTP ${res.status}${text ? `: ${text}` : ''}`) };
}

/** The first `max` characters of an answer's body, without reading a large body to its end. */
async function startOfBody(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body that breaks off still leaves the status to report.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, max);
}

async function sendSms(deps: SendDeps, d: ClaimedDelivery): Promise<void> {
  const { caseNo, text } = d.payload;
  if (typeof caseNo !== 'string' || typeof text !== 'string') {
    throw new PermanentFailure('sms payload needs caseNo and text');
  }
  if (!d.smsCase.found) throw new PermanentFailure(`case ${caseNo} not found`);
  if (!d.smsCase.phoneEnc) throw new PermanentFailure(`case ${caseNo} has no phone number`);
  let phone: string;
  try {
    phone = deps.protector.decrypt(d.smsCase.phoneEnc);
  } catch {
    throw new PermanentFailure(`phone of case ${caseNo} cannot be opened (server secret changed?)`);
  }
  await deps.sms.send(phone, text);
}

async function sendEmail(deps: SendDeps, d: ClaimedDelivery): Promise<void> {
  const { to, subject, text } = d.payload;
  if (typeof to !== 'string' || typeof subject !== 'string' || typeof text !== 'string') {
    throw new PermanentFailure('email payload needs to, subject and text');
  }
  await deps.email.send(to, subject, text);
}
