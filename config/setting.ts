// How one environment setting is read: unset or blank means the default, anything
// else must pass its check or the process stops with a message that names the
// variable, says what it must be and quotes what it got. Every file of config/
// reads its variables through these two functions, so a setting is parsed one way.
export type Env = Readonly<Record<string, string | undefined>>;

/** The setting's text, trimmed; undefined when unset or blank. */
export function rawSetting(name: string, env: Env = process.env): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/**
 * A numeric setting: `fallback` when unset, else a finite number for which `valid`
 * holds; otherwise throws "`name` must be `requirement`, got "…"".
 */
export function numberSetting(
  name: string,
  fallback: number,
  valid: (n: number) => boolean,
  requirement: string,
  env: Env = process.env,
): number {
  const raw = rawSetting(name, env);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !valid(n)) throw new Error(`${name} must be ${requirement}, got "${env[name]}"`);
  return n;
}

/** A setting that names one of `allowed` (case-insensitive); `fallback` when unset. */
export function choiceSetting<T extends string>(name: string, allowed: readonly T[], fallback: T, env: Env = process.env): T {
  const raw = rawSetting(name, env);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) throw new Error(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got "${env[name]}"`);
  return value;
}

/** Checks for numberSetting. */
export const isWhole = (min: number, max = Number.MAX_SAFE_INTEGER) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
export const isBetween = (min: number, max: number) => (n: number) => n >= min && n <= max;
