import type { RouteRecordRaw } from 'vue-router';
import type { NavEntry } from '../nav';

/** Catalogue browser routes (units drill-down and item search), lazily loaded as one area. */
export const catalogRoutes: RouteRecordRaw[] = [
  {
    path: '/catalog/units',
    children: [
      { path: '', name: 'catalog-units', component: () => import('./pages/UnitsRootPage.vue') },
      { path: ':code', name: 'catalog-unit', component: () => import('./pages/UnitPage.vue'), props: true },
    ],
  },
  { path: '/catalog/items', name: 'catalog-items', component: () => import('./pages/ItemsPage.vue') },
];

/** Catalogue entries of the main navigation. */
export const catalogNav: NavEntry[] = [
  { to: '/catalog/units', label: 'nav.units' },
  { to: '/catalog/items', label: 'nav.items' },
];
