import { HcpApiError } from '@hcp/sdk';
import { i18n } from '../i18n';

/** What to tell the user about a failure: the server's own (localised) message where there is one. */
export interface ErrorText {
  message: string;
  requestId: string | undefined;
}

/** Turns anything thrown by the SDK into a message and the request id to quote to support. */
export function errorText(error: unknown): ErrorText {
  const { t } = i18n.global;
  if (error instanceof HcpApiError) {
    if (error.code === 'NETWORK_ERROR') return { message: t('error.network'), requestId: undefined };
    if (error.code === 'INVALID_RESPONSE' || error.code === 'HTTP_ERROR') {
      return { message: t('error.unexpected'), requestId: error.requestId };
    }
    return { message: error.message, requestId: error.requestId };
  }
  return { message: t('error.unexpected'), requestId: undefined };
}
