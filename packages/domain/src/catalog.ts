/**
 * Catalogue vocabularies (DOMAIN.md §4): the stable identifiers used in the database, the API and
 * the UI. Labels live in the UI's i18n files; the Chinese term is kept here beside each identifier.
 */

/** Administrative level of a handling unit (承办单位层级). */
export const UNIT_LEVELS = ['city', 'district', 'street', 'community'] as const; // 市 区 街镇 村居
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Kind of handling unit. */
export const UNIT_KINDS = [
  'government', // 人民政府 / 街道办事处: the territorial body itself
  'department', // 职能部门
  'service_center', // 政务服务中心 / 社区事务受理服务中心
  'window_group', // 窗口组
  'committee', // 居民委员会 / 村民委员会
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Kind of service item (事项类型). */
export const ITEM_KINDS = [
  'administrative_license', // 行政许可
  'administrative_payment', // 行政给付
  'administrative_confirmation', // 行政确认
  'administrative_adjudication', // 行政裁决
  'administrative_reward', // 行政奖励
  'other_administrative_power', // 其他行政权力
  'public_service', // 公共服务
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Who may apply for an item (服务对象). */
export const ITEM_SUBJECTS = ['natural_person', 'legal_person', 'both'] as const; // 自然人 法人 两者
export type ItemSubject = (typeof ITEM_SUBJECTS)[number];

/** 即办件 (done on the spot) or 承诺件 (done within a promised number of working days). */
export const PROMISE_TYPES = ['immediate', 'promised'] as const;
export type PromiseType = (typeof PROMISE_TYPES)[number];

/** The level a child unit must have under a parent of the given level (null: none allowed). */
export function childLevelOf(parent: UnitLevel): UnitLevel | null {
  const i = UNIT_LEVELS.indexOf(parent);
  return UNIT_LEVELS[i + 1] ?? null;
}

/**
 * Whether a unit of level `child` may sit under a parent of level `parent`. A department or
 * service centre sits at its parent's own level (a city department under the city), so the rule
 * is: same level or exactly one level down.
 */
export function isValidParentLevel(parent: UnitLevel, child: UnitLevel): boolean {
  return child === parent || child === childLevelOf(parent);
}
