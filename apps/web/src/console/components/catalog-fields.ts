import type { Unit } from '@hcp/contracts';
import { useI18n } from 'vue-i18n';
import { ITEM_KIND_OPTIONS, ITEM_SUBJECT_OPTIONS, useCatalogLabels } from '../../catalog/vocab';

/** A catalogue row as the editor handles it (the API's field names). */
export type CatalogRow = Record<string, unknown>;

/** One form field of a catalogue resource. */
export interface CatalogField {
  name: string;
  label: string;
  type?: 'text' | 'number';
  /** A choice among these values (shown with `optionLabel`). */
  options?: readonly string[];
  optionLabel?: (value: string) => string;
  /** Empty means null (optional references and codes). */
  nullable?: boolean;
  hint?: string;
}

// Records (not arrays) so the type checker fails when the contract gains a value we do not list.
const levels: Record<Unit['level'], true> = { city: true, district: true, street: true, community: true };
const kinds: Record<Unit['kind'], true> = {
  government: true,
  department: true,
  service_center: true,
  window_group: true,
  committee: true,
};

/** The fields of each catalogue resource, labelled in the current language. */
export function useCatalogFields() {
  const { t } = useI18n();
  const label = useCatalogLabels();
  const unitCode: CatalogField = { name: 'unitCode', label: t('console.catalog.unitCode') };
  return {
    units: (): CatalogField[] => [
      { name: 'code', label: t('console.catalog.code') },
      { name: 'name', label: t('console.catalog.name') },
      {
        name: 'level',
        label: t('catalog.level'),
        options: Object.keys(levels),
        optionLabel: (v) => label.level(v as Unit['level']),
      },
      {
        name: 'kind',
        label: t('catalog.kind'),
        options: Object.keys(kinds),
        optionLabel: (v) => label.unitKind(v as Unit['kind']),
      },
      { name: 'parentCode', label: t('console.catalog.parentCode'), nullable: true },
      { name: 'creditCode', label: t('catalog.creditCode'), nullable: true },
      { name: 'divisionCode', label: t('catalog.divisionCode'), hint: t('console.catalog.divisionHint') },
    ],
    items: (): CatalogField[] => [
      { name: 'code', label: t('items.code') },
      { name: 'baseCode', label: t('console.catalog.baseCode') },
      { name: 'businessCode', label: t('console.catalog.businessCode'), nullable: true },
      { name: 'name', label: t('items.name') },
      {
        name: 'kind',
        label: t('items.kind'),
        options: ITEM_KIND_OPTIONS,
        optionLabel: (v) => label.itemKind(v as never),
      },
      {
        name: 'subject',
        label: t('items.subject'),
        options: ITEM_SUBJECT_OPTIONS,
        optionLabel: (v) => label.subject(v as never),
      },
      {
        name: 'promiseType',
        label: t('console.catalog.promiseType'),
        options: ['immediate', 'promised'],
        optionLabel: (v) => (v === 'immediate' ? t('promise.immediate') : t('console.catalog.promised')),
      },
      { name: 'promiseDays', label: t('console.catalog.promiseDays'), type: 'number', nullable: true },
      unitCode,
    ],
    windows: (): CatalogField[] => [
      { name: 'no', label: t('catalog.windowNo') },
      { name: 'name', label: t('catalog.windowName') },
      { name: 'hall', label: t('catalog.hall') },
      unitCode,
    ],
    staff: (): CatalogField[] => [
      { name: 'staffNo', label: t('catalog.staffNo') },
      { name: 'name', label: t('catalog.staffName') },
      unitCode,
      { name: 'windowNo', label: t('catalog.staffWindow'), nullable: true },
    ],
  };
}
