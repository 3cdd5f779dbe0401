import type { FastifyBaseLogger } from 'fastify';

/** Sends an e-mail; a real mail gateway implements this and is chosen by configuration. */
export interface EmailSender {
  send(to: string, subject: string, text: string): Promise<void>;
}

/** Masks an address for logs: w***@example.gov.cn. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address.slice(0, 1)}***${address.slice(at)}` : '***';
}

/**
 * The default sender: writes what would be sent to the log with the address masked and rating
 * tokens (bearer credentials) cut out, so logs never hold either.
 */
export class LoggingEmailSender implements EmailSender {
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}
  async send(to: string, subject: string, text: string): Promise<void> {
    this.log.info(
      { to: maskEmail(to), subject, text: text.replace(/rt_[A-Za-z0-9_-]+/g, 'rt_***') },
      'email (logging adapter)',
    );
  }
}
