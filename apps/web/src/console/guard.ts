import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { useAuthStore } from './auth-store';

/**
 * Route guard of every console page: not signed in → the login page (coming back afterwards);
 * signed in without one of the page's roles → the console home. When the server cannot be asked
 * (offline), the login page is where the error shows.
 */
export async function consoleGuard(to: RouteLocationNormalized): Promise<RouteLocationRaw | true> {
  const auth = useAuthStore();
  await auth.ensure().catch(() => undefined);
  if (!auth.account) return { name: 'console-login', query: { returnTo: to.fullPath } };
  if (!auth.allowed(to.meta.consoleRoles)) return { name: 'console-home' };
  return true;
}
