import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { catalogRoutes } from './catalog/routes';
import { consoleRoutes } from './console/routes';
import { padRoutes } from './pad/routes';
import { PORTAL_HOME, portalRoutes } from './portal/routes';
import { rateRoutes } from './rate/routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** Full-screen page without the site header, navigation and footer (window pad, rating link). */
    bare?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: PORTAL_HOME },
  ...portalRoutes,
  ...catalogRoutes,
  ...padRoutes,
  ...rateRoutes,
  ...consoleRoutes,
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./layout/NotFoundPage.vue') },
];

/** The app router; each feature folder contributes its own routes. */
export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

// After moving to another page, put keyboard and screen-reader focus at the top of the new content.
router.afterEach((to, from, failure) => {
  if (failure || !from.matched.length || to.path === from.path) return;
  requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }));
});
