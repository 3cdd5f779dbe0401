import type { FastifyBaseLogger } from 'fastify';

/** Sends a text message; a real gateway implements this and is chosen by configuration. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

/** Masks a phone number for logs: 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/**
 * The default sender: writes what would be sent to the log, with the phone masked and rating
 * tokens (bearer credentials) cut out, so logs never hold either.
 */
export class LoggingSmsSender implements SmsSender {
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}
  async send(phone: string, text: string): Promise<void> {
    this.log.info(
      { to: maskPhone(phone), text: text.replace(/rt_[A-Za-z0-9_-]+/g, 'rt_***') },
      'sms (logging adapter)',
    );
  }
}
