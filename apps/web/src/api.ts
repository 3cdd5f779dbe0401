import { createHcpClient, type HcpClient } from '@hcp/sdk';
import { i18n } from './i18n';

/** The one API client of the app; errors come back worded in the current UI language. */
export const api: HcpClient = createHcpClient({ locale: () => i18n.global.locale.value });

/** Access to the API client from components and composables (never call fetch directly). */
export function useApi(): HcpClient {
  return api;
}
