import { HcpApiError } from '@hcp/sdk';
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { router } from '../router';
import {
  type Account,
  identityApi,
  type RoleId,
  type SessionView,
  setCsrfToken,
  whenUnauthorized,
} from './console-api';

/**
 * Who is signed in to the console. The session itself is an HttpOnly cookie the page never sees;
 * the store keeps the account and the session's CSRF token, which the console client sends on every
 * state-changing call. A 401 from any call means the session ended: the store forgets the account
 * and sends the user to the login page, to come back afterwards.
 */
export const useAuthStore = defineStore('console-auth', () => {
  const account = shallowRef<Account | null>(null);
  /** True once `/auth/me` has answered (signed in or not). */
  const checked = shallowRef(false);
  let probe: Promise<void> | null = null;

  function signedIn(s: SessionView): void {
    account.value = s.account;
    setCsrfToken(s.csrfToken);
    checked.value = true;
  }

  function forget(): void {
    account.value = null;
    setCsrfToken(undefined);
  }

  whenUnauthorized(() => {
    forget();
    const current = router.currentRoute.value;
    if (current.name !== 'console-login' && current.path.startsWith('/console')) {
      void router.replace({ name: 'console-login', query: { returnTo: current.fullPath } });
    }
  });

  /** Asks the server once whether a session exists (a page load keeps the cookie, not the store). */
  function ensure(): Promise<void> {
    if (checked.value) return Promise.resolve();
    probe ??= identityApi
      .me()
      .then(signedIn)
      .catch((e: unknown) => {
        if (!(e instanceof HcpApiError && e.status === 401)) throw e;
        forget();
        checked.value = true;
      })
      .finally(() => {
        probe = null;
      });
    return probe;
  }

  /** Signs in with a password (and the TOTP code when the account asks for one). */
  async function login(username: string, password: string, otp?: string): Promise<void> {
    signedIn(await identityApi.login(otp ? { username, password, otp } : { username, password }));
  }

  /** Signs out; the account is forgotten here even if the server could not be reached. */
  async function logout(): Promise<void> {
    try {
      await identityApi.logout();
    } finally {
      forget();
    }
  }

  /** Whether the signed-in account has one of these roles (no list: any account). */
  function allowed(roles: readonly RoleId[] | undefined): boolean {
    return !!account.value && (!roles || roles.includes(account.value.role));
  }

  return {
    account,
    checked,
    signedInAs: computed(() => account.value?.username),
    ensure,
    login,
    logout,
    allowed,
  };
});
