import type { Executor } from './sql-helpers';

/** A pad as its window's staff and the pad itself see it. */
export interface PadView {
  padId: string;
  windowNo: string;
  windowName: string;
  unitName: string;
}

/** Registers a pad with a pairing code (hash) valid until `expiresAt`. */
export async function insertPad(
  db: Executor,
  pad: { id: string; name: string | null; windowNo: string; pairingCodeHash: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('pads')
    .values({
      id: pad.id,
      name: pad.name,
      window_no: pad.windowNo,
      pairing_code_hash: pad.pairingCodeHash,
      pairing_expires_at: pad.expiresAt,
    })
    .execute();
}

/**
 * Pairs the pad holding this code: the code is consumed (single use) and the pad token's hash
 * stored, in one guarded UPDATE. Returns null for an unknown code, 'expired' for a stale one.
 */
export async function pairPad(
  db: Executor,
  codeHash: string,
  tokenHash: string,
  now: Date,
): Promise<PadView | 'expired' | null> {
  const pad = await db
    .selectFrom('pads')
    .select(['id', 'pairing_expires_at'])
    .where('pairing_code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!pad) return null;
  if (!pad.pairing_expires_at || pad.pairing_expires_at < now) return 'expired';
  const r = await db
    .updateTable('pads')
    .set({
      pairing_code_hash: null,
      pairing_expires_at: null,
      token_hash: tokenHash,
      paired_at: now,
      last_seen_at: now,
    })
    .where('id', '=', pad.id)
    .where('pairing_code_hash', '=', codeHash)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return null;
  return padByToken(db, tokenHash);
}

/** The live (paired, not revoked) pad with this token hash, or null. */
export async function padByToken(db: Executor, tokenHash: string): Promise<PadView | null> {
  const r = await db
    .selectFrom('pads')
    .innerJoin('windows', 'windows.no', 'pads.window_no')
    .innerJoin('units', 'units.code', 'windows.unit_code')
    .select(['pads.id', 'pads.window_no', 'windows.name as window_name', 'units.name as unit_name'])
    .where('pads.token_hash', '=', tokenHash)
    .where('pads.revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? { padId: r.id, windowNo: r.window_no, windowName: r.window_name, unitName: r.unit_name } : null;
}
