import type { Item, Unit } from '@hcp/contracts';
import { useI18n } from 'vue-i18n';

/** Administrative level of a unit (市级, 区级, 街镇, 村居). */
export type UnitLevel = Unit['level'];
/** Kind of unit (government, department, …). */
export type UnitKind = Unit['kind'];
/** Kind of service item (行政许可 …). */
export type ItemKind = Item['kind'];
/** Who may apply for an item (自然人 / 法人 / both). */
export type ItemSubject = Item['subject'];

// Records (not arrays) so the type checker fails when the contract gains a value we do not list.
const itemKinds: Record<ItemKind, true> = {
  administrative_license: true,
  administrative_payment: true,
  administrative_confirmation: true,
  administrative_adjudication: true,
  administrative_reward: true,
  other_administrative_power: true,
  public_service: true,
};
const itemSubjects: Record<ItemSubject, true> = { natural_person: true, legal_person: true, both: true };

/** Item kinds in display order, for filters. */
export const ITEM_KIND_OPTIONS = Object.keys(itemKinds) as ItemKind[];
/** Item subjects in display order, for filters. */
export const ITEM_SUBJECT_OPTIONS = Object.keys(itemSubjects) as ItemSubject[];

/** Whether a query-string value is a known item kind. */
export function isItemKind(value: unknown): value is ItemKind {
  return typeof value === 'string' && Object.hasOwn(itemKinds, value);
}

/** Whether a query-string value is a known item subject. */
export function isItemSubject(value: unknown): value is ItemSubject {
  return typeof value === 'string' && Object.hasOwn(itemSubjects, value);
}

/** Localised labels for the catalogue vocabularies (levels, kinds, subjects, promises). */
export function useCatalogLabels() {
  const { t } = useI18n();
  return {
    level: (v: UnitLevel) => t(`unitLevel.${v}`),
    unitKind: (v: UnitKind) => t(`unitKind.${v}`),
    itemKind: (v: ItemKind) => t(`itemKind.${v}`),
    subject: (v: ItemSubject) => t(`itemSubject.${v}`),
    promise: (item: Pick<Item, 'promiseType' | 'promiseDays'>) =>
      item.promiseType === 'promised' && item.promiseDays !== null
        ? t('promise.promised', { n: item.promiseDays }, item.promiseDays)
        : t('promise.immediate'),
  };
}
