import type { RouteRecordRaw } from 'vue-router';
import type { NavEntry } from '../nav';

/** The public portal (公开): home, drill-down by area, items, rating details and search; one lazy area. */
export const portalRoutes: RouteRecordRaw[] = [
  { path: '/portal', name: 'portal-home', component: () => import('./pages/HomePage.vue') },
  {
    path: '/portal/units',
    children: [
      { path: '', name: 'portal-units', component: () => import('./pages/AreasPage.vue') },
      { path: ':code', name: 'portal-unit', component: () => import('./pages/UnitPage.vue'), props: true },
    ],
  },
  {
    path: '/portal/items/:code',
    name: 'portal-item',
    component: () => import('./pages/ItemPage.vue'),
    props: true,
  },
  {
    path: '/portal/ratings/:id',
    name: 'portal-rating',
    component: () => import('./pages/RatingPage.vue'),
    props: true,
  },
  { path: '/portal/search', name: 'portal-search', component: () => import('./pages/SearchPage.vue') },
];

/** The site's home page. */
export const PORTAL_HOME = '/portal';

/** Portal entries of the main navigation. */
export const portalNav: NavEntry[] = [
  { to: PORTAL_HOME, label: 'portal.nav.home' },
  { to: '/portal/units', label: 'portal.nav.areas' },
  { to: '/portal/search', label: 'portal.nav.search' },
];
