import { createHmac } from 'node:crypto';
import type { SmsSender } from './sms';

/**
 * Sends text messages through an operator's SMS gateway over HTTP: `POST {url}` with the JSON body
 * `{ to, text }`, signed as `X-HCP-Signature: sha256=<HMAC-SHA256(secret, timestamp + "." + body)>`
 * with `X-HCP-Timestamp` (Unix seconds), so the gateway can refuse forged or replayed requests.
 * A non-2xx answer or a timeout is an error for the caller to log.
 */
export class HttpSmsSender implements SmsSender {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  async send(phone: string, text: string): Promise<void> {
    const body = JSON.stringify({ to: phone, text });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex');
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hcp-timestamp': timestamp,
        'x-hcp-signature': `sha256=${signature}`,
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  }
}
