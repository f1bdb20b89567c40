// Who the person in this browser is, until accounts exist: a display name and a
// colour kept in cookies, and a stable guest id. Read on the server when a
// notebook page mints its token; written by the name form's action.
import { z } from 'zod';
import { presencePalette } from '../../notebook-model/service-protocol';

export const NAME_COOKIE = 'cellmate_name';
export const COLOR_COOKIE = 'cellmate_color';
export const UID_COOKIE = 'cellmate_uid';

export interface Identity {
  name: string;
  /** `#rrggbb`, used for the cursor, the selection tint and the avatar. */
  color: string;
  userId: string;
}

/** Saturated enough for white text on top, distinct from each other (the colours presence is stamped with). */
export const palette = presencePalette;

export const displayNameSchema = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(40, 'A name can be at most 40 characters.');

const colorSchema = z.string().regex(/^#[0-9a-f]{6}$/i);

export function randomColor(): string {
  return palette[Math.floor(Math.random() * palette.length)];
}

/** A colour picked from the name, for people whose cookie has a name but no colour. */
function colorFromName(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return palette[hash % palette.length];
}

function decode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The identity in these cookies, or null when no valid name is set yet. */
export function identityFromCookies(get: (name: string) => string | undefined): Identity | null {
  const name = displayNameSchema.safeParse(decode(get(NAME_COOKIE)));
  if (!name.success) return null;
  const color = colorSchema.safeParse(decode(get(COLOR_COOKIE)));
  const uid = get(UID_COOKIE);
  return {
    name: name.data,
    color: color.success ? color.data : colorFromName(name.data),
    userId: uid && /^[\w-]{1,64}$/.test(uid) ? `guest:${uid}` : `guest-name:${name.data}`,
  };
}
