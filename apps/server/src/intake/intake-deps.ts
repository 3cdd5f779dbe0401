import type { Executor } from '@hcp/db';
import type { WindowHub } from '../pads/window-hub';
import type { Protector } from '../security/protector';
import type { EvaluationWriter } from './evaluation-writer';
import type { SmsSender } from './sms';

/** What the intake module needs from the composition root. */
export interface IntakeDeps {
  db: Executor;
  protector: Protector;
  writer: EvaluationWriter;
  sms: SmsSender;
  windowDays: number;
  publicUrl: string;
  now: () => Date;
  /** Live window events: rating requests to pads, new ratings to consoles. */
  hub: WindowHub;
}
