import type { PublicEvaluation } from '@hcp/contracts';
import type { Executor } from '@hcp/db';
import { RATING_LEVELS } from '@hcp/domain';
import { listPublicEvaluations } from './public-evaluations';
import type { ResolvedFilters } from './public-query';

/** Rows in one CSV export at most. */
export const CSV_MAX_ROWS = 100_000;

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'level',
  'class',
  'channel',
  'isDefault',
  'itemCode',
  'itemName',
  'unitCode',
  'unitName',
  'windowNo',
  'staffNo',
  'comment',
  'ticketState',
  'reply',
  'rectification',
  'appealUpheld',
] as const;

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
 * the start) gets a leading apostrophe: comments are written by the public.
 */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(e: PublicEvaluation): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = {
    id: e.id,
    createdAt: e.createdAt,
    level: e.level,
    class: e.class,
    channel: e.channel,
    isDefault: e.isDefault,
    itemCode: e.item.code,
    itemName: e.item.name,
    unitCode: e.unit.code,
    unitName: e.unit.name,
    windowNo: e.window?.no ?? null,
    staffNo: e.staffNo,
    comment: e.comment,
    ticketState: e.ticket?.state ?? null,
    reply: e.ticket?.reply ?? null,
    rectification: e.ticket?.rectification ?? null,
    appealUpheld: e.appealUpheld,
  };
  return `${CSV_COLUMNS.map((c) => cell(values[c])).join(',')}\r\n`;
}

/**
 * The CSV export as chunks for a stream: a UTF-8 BOM (so spreadsheet programs read Chinese
 * correctly) and the header, then pages of 1,000 public ratings, newest first, at most `maxRows`.
 * Each page is one indexed query, so memory stays flat whatever the export's size.
 */
export async function* csvChunks(db: Executor, f: ResolvedFilters, maxRows = CSV_MAX_ROWS) {
  yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  let sent = 0;
  let cursor: string | undefined;
  while (sent < maxRows) {
    const page = await listPublicEvaluations(db, f, Math.min(1000, maxRows - sent), cursor);
    if (page.items.length > 0) yield page.items.map(csvLine).join('');
    sent += page.items.length;
    cursor = page.items.at(-1)?.id;
    if (!page.nextCursor) break;
  }
}

// Characters XML 1.0 does not allow at all (controls, lone surrogates, U+FFFE/FFFF) are dropped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LEVEL_ZH = new Map<number, string>(RATING_LEVELS.map((l) => [l.level, l.nameZh]));

function entryText(e: PublicEvaluation): string {
  const parts = [`${e.unit.name} · ${e.item.name}`];
  if (e.comment) parts.push(`评价：${e.comment}`);
  else if (e.commentStatus === 'pending' || e.commentStatus === 'held') parts.push('评价内容审核中');
  if (e.ticket?.reply) parts.push(`单位回复：${e.ticket.reply}`);
  if (e.ticket?.rectification) parts.push(`整改情况：${e.ticket.rectification}`);
  if (e.appealUpheld) parts.push('申诉成立（不计入满意度统计）');
  return parts.join('\n');
}

/** The latest change of a rating that the feed shows: its ticket's reply, fix or closing. */
function updatedOf(e: PublicEvaluation): string {
  const times = [e.createdAt, e.ticket?.repliedAt, e.ticket?.rectifiedAt, e.ticket?.closedAt];
  return times
    .filter((t): t is string => !!t)
    .sort()
    .at(-1)!;
}

/** An Atom 1.0 feed (RFC 4287) of a unit's public ratings, newest first. */
export function atomFeed(o: {
  unit: { code: string; name: string };
  items: PublicEvaluation[];
  selfUrl: string;
  entryUrl: (id: string) => string;
  now: Date;
}): string {
  const updated = o.items.map(updatedOf).sort().at(-1) ?? o.now.toISOString();
  const entries = o.items.map((e) => {
    const url = xml(o.entryUrl(e.id));
    const stars = '★'.repeat(e.level) + '☆'.repeat(5 - e.level);
    return [
      '  <entry>',
      `    <id>${url}</id>`,
      `    <title>${xml(`${stars} ${LEVEL_ZH.get(e.level) ?? e.level} · ${e.item.name}`)}</title>`,
      `    <published>${e.createdAt}</published>`,
      `    <updated>${updatedOf(e)}</updated>`,
      `    <link rel="alternate" type="application/json" href="${url}"/>`,
      `    <category term="${e.class}"/>`,
      `    <content type="text">${xml(entryText(e))}</content>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${xml(o.selfUrl)}</id>`,
    `  <title>${xml(`${o.unit.name} 好差评公开`)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(o.selfUrl)}"/>`,
    `  <author><name>${xml(o.unit.name)}</name></author>`,
    '  <generator>Haochaping</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
