import { catalogNav } from './catalog/routes';
import { portalNav } from './portal/routes';

/** One entry of the main navigation; `label` is an i18n key. */
export interface NavEntry {
  to: string;
  label: string;
}

/** Main navigation, in order; later features (portal, console) append theirs. */
export const navEntries: NavEntry[] = [...portalNav, ...catalogNav];
