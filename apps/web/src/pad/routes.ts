import type { RouteRecordRaw } from 'vue-router';

/** The window rating pad (评价器): a full-screen tablet page without the site header. */
export const padRoutes: RouteRecordRaw[] = [
  { path: '/pad', name: 'pad', component: () => import('./PadPage.vue'), meta: { bare: true } },
];
