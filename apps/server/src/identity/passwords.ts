import { DomainError } from '@hcp/domain';
import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane): about 30 ms here.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id (the algorithm is the library default, id). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when the username is unknown makes both failures take the same time.
let dummy: Promise<string> | null = null;

/** Checks a password; with no stored hash it still spends the same time and answers false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword('not-a-password-of-anyone');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** Refuses passwords too weak for a government console: at least 10 characters, not all one kind. */
export function checkPasswordStrength(password: string, field = 'password'): void {
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 10 || kinds < 2) {
    throw new DomainError(
      'VALIDATION_FAILED',
      {
        en: `${field}: at least 10 characters, mixing letters, digits or symbols`,
        zh: `${field}：密码至少 10 位，并混合字母、数字或符号`,
      },
      { field },
    );
  }
}
