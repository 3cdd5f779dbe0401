import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Keeps personal data out of the database in clear: keyed hashes (HMAC-SHA256) for matching,
 * AES-256-GCM for what must be read back (names to mask in the applicant's own text, phones for
 * call-back). Each use derives its own key from the one server secret.
 */
export interface Protector {
  /** Deterministic keyed hash, hex: the same input always matches, the hash reveals nothing. */
  hash(purpose: HashPurpose, value: string): string;
  /** Authenticated encryption; a fresh IV each call. */
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export type HashPurpose = 'cert' | 'phone' | 'name' | 'token' | 'request';

const VERSION = 'v1';

/** A protector from the server secret (32+ bytes of entropy, any encoding). */
export function createProtector(secret: string): Protector {
  const derive = (label: string) => createHash('sha256').update(`hcp:${label}:`).update(secret).digest();
  const encKey = derive('enc');
  const macKeys = new Map<HashPurpose, Buffer>();
  const macKey = (p: HashPurpose) => {
    let k = macKeys.get(p);
    if (!k) {
      k = derive(`mac:${p}`);
      macKeys.set(p, k);
    }
    return k;
  };
  return {
    hash: (purpose, value) => createHmac('sha256', macKey(purpose)).update(value).digest('hex'),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        VERSION,
        iv.toString('base64'),
        body.toString('base64'),
        cipher.getAuthTag().toString('base64'),
      ].join(':');
    },
    decrypt(sealed) {
      const [version, iv, body, tag] = sealed.split(':');
      if (version !== VERSION || !iv || !body || !tag) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/** Certificate numbers are compared case-insensitively and without spaces (身份证 'x' = 'X'). */
export function normalizeCertNo(certNo: string): string {
  return certNo.replace(/\s+/g, '').toUpperCase();
}
