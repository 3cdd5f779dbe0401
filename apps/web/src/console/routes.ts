import type { RouteComponent, RouteRecordRaw } from 'vue-router';
import type { RoleId } from './console-api';

declare module 'vue-router' {
  interface RouteMeta {
    /** Console pages: the roles that may open the page; absent means every signed-in account. */
    consoleRoles?: readonly RoleId[];
  }
}

/**
 * One console page: its menu entry and its child route of /console in one record. To add a page
 * (ticket workbench, supervisor board…), append an entry here; the menu shows it to the listed roles
 * and the route refuses the others. Keep `component` a dynamic import so the page stays out of the
 * public portal's download.
 */
export interface ConsolePage {
  /** Path under /console ('' is the console home). */
  path: string;
  name: string;
  /** i18n key of the menu entry. */
  label: string;
  roles?: readonly RoleId[];
  component: () => Promise<RouteComponent>;
}

export const consolePages: ConsolePage[] = [
  {
    path: '',
    name: 'console-home',
    label: 'console.nav.home',
    component: () => import('./pages/ConsoleHomePage.vue'),
  },
  {
    path: 'window',
    name: 'console-window',
    label: 'window.nav',
    roles: ['staff', 'unit_admin', 'supervisor', 'auditor', 'sysadmin'],
    component: () => import('./window/WindowFeedPage.vue'),
  },
  {
    path: 'tickets',
    name: 'console-tickets',
    label: 'tickets.nav.workbench',
    roles: ['unit_admin', 'supervisor', 'auditor'],
    component: () => import('./tickets/TicketQueuePage.vue'),
  },
  {
    path: 'board',
    name: 'console-board',
    label: 'tickets.nav.board',
    roles: ['supervisor', 'auditor'],
    component: () => import('./tickets/SupervisorBoardPage.vue'),
  },
  {
    path: 'accounts',
    name: 'console-accounts',
    label: 'console.nav.accounts',
    roles: ['sysadmin', 'unit_admin'],
    component: () => import('./pages/AccountsPage.vue'),
  },
  {
    path: 'api-keys',
    name: 'console-api-keys',
    label: 'console.nav.apiKeys',
    roles: ['sysadmin', 'unit_admin'],
    component: () => import('./pages/ApiKeysPage.vue'),
  },
  {
    path: 'audit-log',
    name: 'console-audit-log',
    label: 'console.nav.auditLog',
    roles: ['auditor', 'sysadmin', 'unit_admin'],
    component: () => import('./pages/AuditLogPage.vue'),
  },
  {
    path: 'catalog',
    name: 'console-catalog',
    label: 'console.nav.catalog',
    roles: ['sysadmin'],
    component: () => import('./pages/CatalogEditPage.vue'),
  },
];

/** Pages opened from another page (a ticket from the queue), not from the menu. */
export const consoleSubpages: ConsolePage[] = [
  {
    path: 'tickets/:id(\\d+)',
    name: 'console-ticket',
    label: 'tickets.nav.ticket',
    roles: ['unit_admin', 'supervisor', 'auditor'],
    component: () => import('./tickets/TicketPage.vue'),
  },
];

/** Signs in first (and checks the page's roles), loading the console's guard only when needed. */
const guard: NonNullable<RouteRecordRaw['beforeEnter']> = async (to) =>
  (await import('./guard')).consoleGuard(to);

/** The console: /console/login on its own, and every page inside the console layout. */
export const consoleRoutes: RouteRecordRaw[] = [
  {
    path: '/console/login',
    name: 'console-login',
    meta: { bare: true },
    component: () => import('./pages/LoginPage.vue'),
  },
  {
    path: '/console',
    meta: { bare: true },
    component: () => import('./ConsoleLayout.vue'),
    children: [...consolePages, ...consoleSubpages].map((p) => ({
      path: p.path,
      name: p.name,
      component: p.component,
      meta: { bare: true, ...(p.roles ? { consoleRoles: p.roles } : {}) },
      beforeEnter: guard,
    })),
  },
];
