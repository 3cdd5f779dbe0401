/** Pad tokens start with `pk_`, which tells them from API keys and rating tokens in a bearer header. */
export const PAD_TOKEN_PREFIX = 'pk_';

/** Whether a bearer credential is a window pad's token. */
export function isPadToken(credential: string): boolean {
  return credential.startsWith(PAD_TOKEN_PREFIX);
}
