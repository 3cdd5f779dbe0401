/**
 * Rating channels (DOMAIN.md §3): stable internal ids, the national interface code `pf` used when
 * reporting upward, and whether the channel is online or offline (which picks the indicator set).
 */
export const CHANNEL_IDS = [
  'pc',
  'app',
  'wechat',
  'alipay',
  'qrcode',
  'window_pad',
  'kiosk',
  'hotline',
  'sms',
  'default',
] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

/** Online channels rate the platform; offline ones rate the counter service. */
export type ChannelType = 'online' | 'offline';

export interface Channel {
  id: ChannelId;
  /** National interface code (GB/T 39734 `pf`). */
  pf: number;
  type: ChannelType;
  nameZh: string;
  nameEn: string;
}

export const CHANNELS: readonly Channel[] = [
  { id: 'pc', pf: 1, type: 'online', nameZh: '一网通办PC端', nameEn: 'PC portal' },
  { id: 'app', pf: 2, type: 'online', nameZh: '随申办App', nameEn: 'Mobile app' },
  { id: 'wechat', pf: 2, type: 'online', nameZh: '随申办微信小程序', nameEn: 'WeChat mini-program' },
  { id: 'alipay', pf: 2, type: 'online', nameZh: '随申办支付宝小程序', nameEn: 'Alipay mini-program' },
  { id: 'qrcode', pf: 3, type: 'offline', nameZh: '窗口二维码', nameEn: 'QR code at a window' },
  { id: 'window_pad', pf: 4, type: 'offline', nameZh: '窗口评价器', nameEn: 'Window rating pad' },
  { id: 'kiosk', pf: 5, type: 'offline', nameZh: '自助终端', nameEn: 'Self-service kiosk' },
  // 12345 has no national code of its own; it is reported as pf 5 and kept as `hotline` here.
  { id: 'hotline', pf: 5, type: 'offline', nameZh: '12345热线', nameEn: '12345 hotline' },
  { id: 'sms', pf: 6, type: 'online', nameZh: '短信', nameEn: 'SMS' },
  { id: 'default', pf: 7, type: 'offline', nameZh: '系统默认评价', nameEn: 'Default rating' },
];

/** Looks a channel up by id; throws on an unknown id (ids are validated at the API edge). */
export function channelById(id: ChannelId): Channel {
  const c = CHANNELS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown channel ${id}`);
  return c;
}
