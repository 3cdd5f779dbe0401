import { useI18n } from 'vue-i18n';
import type { RatingClass, TicketOutcome, TicketState, TimelineKind } from './types';

// Records (not arrays) so the type checker fails when a vocabulary gains a value we do not list.
const channels = {
  pc: true,
  app: true,
  wechat: true,
  alipay: true,
  qrcode: true,
  window_pad: true,
  kiosk: true,
  hotline: true,
  sms: true,
  default: true,
} as const;
const ticketStates: Record<TicketState, true> = {
  pending_contact: true,
  pending_reply: true,
  pending_signoff: true,
  rectifying: true,
  revisiting: true,
  reopened: true,
  appealing: true,
  closed: true,
};
const timelineKinds: Record<TimelineKind, true> = {
  rated: true,
  ticket_opened: true,
  contacted: true,
  replied: true,
  signed_off: true,
  rectified: true,
  revisit_offered: true,
  re_rated: true,
  reopened: true,
  appealed: true,
  appeal_upheld: true,
  appeal_rejected: true,
  escalated: true,
  closed: true,
};
const outcomes: Record<TicketOutcome, true> = {
  satisfied: true,
  revisit_expired: true,
  rectified_again: true,
  appeal_upheld: true,
};

/** Rating channel (DOMAIN.md §3). */
export type ChannelId = keyof typeof channels;

/** Channels in display order, for filters. */
export const CHANNEL_OPTIONS = Object.keys(channels) as ChannelId[];
/** Ticket states in loop order. */
export const TICKET_STATE_OPTIONS = Object.keys(ticketStates) as TicketState[];
/** Timeline step kinds. */
export const TIMELINE_KINDS = Object.keys(timelineKinds) as TimelineKind[];
/** Ticket outcomes. */
export const OUTCOMES = Object.keys(outcomes) as TicketOutcome[];
/** Rating classes. */
export const CLASS_OPTIONS: RatingClass[] = ['good', 'bad'];

/** Whether a value names a known channel. */
export function isChannel(value: unknown): value is ChannelId {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

/** Whether a value names a ticket state. */
export function isTicketState(value: unknown): value is TicketState {
  return typeof value === 'string' && Object.hasOwn(ticketStates, value);
}

/** Figures are shown in Shanghai time whatever the visitor's clock says (the service is Shanghai's). */
const TIME_ZONE = 'Asia/Shanghai';

/** Localised labels and number/date formats for the portal, following the current UI language. */
export function usePortalLabels() {
  const { t, locale } = useI18n();
  const fmt = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale.value, options);
  return {
    level: (level: number) => t(`rating.level${level}`),
    ratingClass: (c: RatingClass) => t(`portal.class.${c}`),
    channel: (id: string) => (isChannel(id) ? t(`portal.channel.${id}`) : id),
    ticketState: (s: TicketState) => t(`portal.ticketState.${s}`),
    timeline: (k: TimelineKind) => t(`portal.timeline.${k}`),
    outcome: (o: TicketOutcome) => t(`portal.outcome.${o}`),
    /** A count, grouped by thousands. */
    count: (n: number) => fmt({}).format(n),
    /** A 0..1 rate as a percentage with one decimal; a dash when there is nothing to divide. */
    percent: (v: number | null) =>
      v === null ? t('portal.noFigure') : fmt({ style: 'percent', maximumFractionDigits: 1 }).format(v),
    /** The 0..100 satisfaction score with one decimal. */
    score: (v: number | null) =>
      v === null
        ? t('portal.noFigure')
        : fmt({ maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(v),
    dateTime: (iso: string) =>
      new Intl.DateTimeFormat(locale.value, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: TIME_ZONE,
      }).format(new Date(iso)),
    date: (iso: string) =>
      new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeZone: TIME_ZONE }).format(
        new Date(iso),
      ),
    /** 'YYYY-MM' as a short month name ("2024年9月", "Sep 2024"). */
    month: (ym: string) =>
      new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(
        new Date(`${ym}-01T00:00:00Z`),
      ),
  };
}

/** The labels returned by usePortalLabels. */
export type PortalLabels = ReturnType<typeof usePortalLabels>;
