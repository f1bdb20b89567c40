'use server';
// Saves the display name (and a random colour and guest id, once) in cookies.
// Setting cookies in an action re-renders the current page, which then has a name.
import { randomUUID } from 'node:crypto';
import { cookies } from 'next/headers';
import { COLOR_COOKIE, displayNameSchema, NAME_COOKIE, randomColor, UID_COOKIE } from './identity';

const YEAR = 365 * 24 * 3600;

export async function saveDisplayNameAction(_previous: string | null, form: FormData): Promise<string | null> {
  const name = displayNameSchema.safeParse(form.get('name'));
  if (!name.success) return name.error.issues[0]?.message ?? 'Enter a name.';
  const jar = await cookies();
  const options = { path: '/', maxAge: YEAR, sameSite: 'lax' as const };
  jar.set(NAME_COOKIE, encodeURIComponent(name.data), options);
  if (!jar.get(COLOR_COOKIE)) jar.set(COLOR_COOKIE, randomColor(), options);
  if (!jar.get(UID_COOKIE)) jar.set(UID_COOKIE, randomUUID(), { ...options, httpOnly: true });
  return null;
}
