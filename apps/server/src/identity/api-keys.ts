import { createHmac, randomBytes } from 'node:crypto';
import type { Executor } from '@hcp/db';
import { DomainError, type KeyOperation } from '@hcp/domain';

/** A key's scope as the auth hook hands it to the routes. */
export interface KeyScope {
  keyId: string;
  name: string;
  channels: string[];
  operations: KeyOperation[];
  /** Materialized path of the subtree the key may act on; null: every unit. */
  unitPath: string | null;
}

export interface NewKey {
  name: string;
  channels: string[];
  operations: KeyOperation[];
  unitCode: string | null;
}

const KEY_FORMAT = /^hcp_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

/** Whether a bearer credential looks like one of our API keys. */
export function isApiKey(credential: string): boolean {
  return KEY_FORMAT.test(credential);
}

/** The stored form of a key's secret: an HMAC under the server secret (the secret is high-entropy). */
export function keyDigest(serverSecret: string, secret: string): string {
  return createHmac('sha256', serverSecret).update(`api-key:${secret}`).digest('hex');
}

/** Creates a key; returns the full key once (never stored) with its id. */
export async function createApiKey(
  db: Executor,
  serverSecret: string,
  k: NewKey,
  createdBy: string,
): Promise<{ id: string; key: string }> {
  if (
    k.unitCode &&
    !(await db.selectFrom('units').select('code').where('code', '=', k.unitCode).executeTakeFirst())
  ) {
    throw new DomainError(
      'UNPROCESSABLE',
      { en: `unitCode: unit ${k.unitCode} does not exist`, zh: 'unitCode：单位不存在' },
      { field: 'unitCode' },
    );
  }
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('api_keys')
    .values({
      id,
      name: k.name,
      secret_hash: keyDigest(serverSecret, secret),
      channels: k.channels,
      operations: k.operations,
      unit_code: k.unitCode,
      created_by: createdBy,
    })
    .execute();
  return { id, key: `hcp_${id}_${secret}` };
}

/**
 * The scope of a live key (not revoked, not past its overlap end), recording its use at most once a
 * minute; null for anything else, which the caller answers with 401.
 */
export async function resolveApiKey(
  db: Executor,
  serverSecret: string,
  credential: string,
  now: Date,
): Promise<KeyScope | null> {
  const m = KEY_FORMAT.exec(credential);
  if (!m) return null;
  const row = await db
    .selectFrom('api_keys as k')
    .leftJoin('units as u', 'u.code', 'k.unit_code')
    .select([
      'k.id',
      'k.name',
      'k.secret_hash',
      'k.channels',
      'k.operations',
      'k.expires_at',
      'k.revoked_at',
      'k.last_used_at',
      'u.path',
    ])
    .where('k.id', '=', m[1]!)
    .executeTakeFirst();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return null;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const given = Buffer.from(keyDigest(serverSecret, m[2]!), 'hex');
  if (expected.length !== given.length || !expected.equals(given)) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    keyId: row.id,
    name: row.name,
    channels: row.channels,
    operations: row.operations as KeyOperation[],
    unitPath: row.path,
  };
}

/**
 * Rotates a key: a new key with the same scope, while the old one keeps working for `overlapHours`
 * so the system can switch over without a gap.
 */
export async function rotateApiKey(
  db: Executor,
  serverSecret: string,
  id: string,
  overlapHours: number,
  now: Date,
  by: string,
) {
  const old = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!old || (old.expires_at && old.expires_at <= now)) {
    throw new DomainError('NOT_FOUND', { en: `api key ${id} not found`, zh: '密钥不存在' }, { apiKey: id });
  }
  const fresh = await createApiKey(
    db,
    serverSecret,
    {
      name: old.name,
      channels: old.channels,
      operations: old.operations as KeyOperation[],
      unitCode: old.unit_code,
    },
    by,
  );
  const expiresAt = new Date(now.getTime() + overlapHours * 3_600_000);
  await db
    .updateTable('api_keys')
    .set({ expires_at: expiresAt, replaced_by: fresh.id })
    .where('id', '=', id)
    .execute();
  return { ...fresh, oldKeyExpiresAt: expiresAt };
}
