import type { RouteRecordRaw } from 'vue-router';

/** The rating page opened from an SMS link or a window QR code (`?via=qr`); phone-first, no site chrome. */
export const rateRoutes: RouteRecordRaw[] = [
  {
    path: '/r/:token',
    name: 'rate',
    component: () => import('./RatePage.vue'),
    props: (route) => ({ token: String(route.params.token), via: route.query.via === 'qr' ? 'qr' : 'sms' }),
    meta: { bare: true },
  },
];
