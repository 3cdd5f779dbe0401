import type { PadPairing } from '@hcp/sdk';

/** Where the pad keeps its pairing between restarts. */
export const PAD_STORAGE_KEY = 'hcp.pad';

/** The pairing as stored: the pad token and the names shown on the idle screen. */
export type StoredPad = PadPairing;

/** The storage the pad uses (localStorage in the browser, a fake in tests). */
export type PadStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The stored pairing, or null when there is none or it is unreadable. */
export function loadPad(storage: PadStorage): StoredPad | null {
  try {
    const v = JSON.parse(storage.getItem(PAD_STORAGE_KEY) ?? 'null') as Partial<StoredPad> | null;
    if (typeof v?.padId !== 'string' || typeof v.padToken !== 'string' || typeof v.windowNo !== 'string')
      return null;
    return {
      padId: v.padId,
      padToken: v.padToken,
      windowNo: v.windowNo,
      windowName: String(v.windowName ?? ''),
      unitName: String(v.unitName ?? ''),
    };
  } catch {
    return null;
  }
}

/** Remembers a pairing (only the fields the pad needs). */
export function savePad(storage: PadStorage, pad: StoredPad): void {
  const { padId, padToken, windowNo, windowName, unitName } = pad;
  storage.setItem(PAD_STORAGE_KEY, JSON.stringify({ padId, padToken, windowNo, windowName, unitName }));
}

/** Forgets the pairing (revoked pad). */
export function clearPad(storage: PadStorage): void {
  storage.removeItem(PAD_STORAGE_KEY);
}
