import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first configuration: m = 19 MiB, t = 2,
 * p = 1 (also RFC 9106 §4's memory-constrained choice). A 16-byte random salt per hash; the PHC
 * string keeps the parameters, so they can be raised later (see needsRehash).
 */
export const ARGON2ID: Options = {
  algorithm: 2 satisfies Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const MIN_PASSWORD_LENGTH = 12;
/** OWASP ASVS 2.1.2: at least 64 characters must be allowed; longer than 128 may be refused */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Passwords that meet the length but are guessed first (NIST SP 800-63B §5.1.1.2: compare against
 * commonly used and expected values). Deliberately short: the length rule does most of the work.
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  'password1234',
  'password123!',
  'passwordpassword',
  'wachtwoord12',
  'wachtwoord123',
  'wachtwoord1234',
  'wachtwoord123!',
  'welkom123456',
  'welkomwelkom',
  'welkom2024!!',
  'welkom2025!!',
  'qwertyuiop12',
  'qwertyuiopas',
  'qwerty123456',
  'asdfghjkl123',
  'iloveyou1234',
  'administrator',
  'adminadmin12',
  'admin1234567',
  'gemeente1234',
  'gemeente2024',
  'gemeente2025',
  'datapakhuis1',
  'datapakhuis123',
  'letmein12345',
  'zomer2024!!!',
  'winter2024!!',
]);

/**
 * NIST SP 800-63B §5.1.1.2: Unicode passwords are normalised (NFKC) before hashing, so the same
 * password typed on another keyboard or platform verifies.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

export type PasswordIssue = 'too_short' | 'too_long' | 'contains_username' | 'too_common';

/** Why a new password is refused, as a code (for messages in another language), or undefined. */
export function passwordIssue(password: string, username: string): PasswordIssue | undefined {
  const p = normalisePassword(password);
  const length = [...p].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = p.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return 'contains_username';
  if (COMMON.has(lower) || /^(.)\1+$/u.test(lower)) return 'too_common';
  return undefined;
}

const ISSUE_EN: Record<PasswordIssue, string> = {
  too_short: `a password needs at least ${MIN_PASSWORD_LENGTH} characters`,
  too_long: `a password may have at most ${MAX_PASSWORD_LENGTH} characters`,
  contains_username: 'a password may not contain the user name',
  too_common: 'this password is too common; choose another',
};

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string): string | undefined {
  const issue = passwordIssue(password, username);
  return issue && ISSUE_EN[issue];
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalisePassword(password), ARGON2ID);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, normalisePassword(password));
}

/** True when a stored hash is weaker than the current parameters (upgrade it at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const o = parseOptions(stored);
  return (
    o.algorithm !== ARGON2ID.algorithm ||
    o.memoryCost < (ARGON2ID.memoryCost as number) ||
    o.timeCost < (ARGON2ID.timeCost as number)
  );
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with the same parameters, verified when the user name is unknown: an
 * unknown user and a wrong password then cost the same time (OWASP Authentication Cheat Sheet,
 * "Authentication Responses").
 */
export function dummyHash(): Promise<string> {
  dummy ??= hash(randomBytes(32), ARGON2ID);
  return dummy;
}
