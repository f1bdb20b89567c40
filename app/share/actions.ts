'use server';
// The share dialog's server actions. Each one checks on the server that the
// caller owns the notebook, changes memberships or links in storage, then tells
// the collab server so open connections follow at once (demoted sockets turn
// read-only, removed people and revoked links' guests are disconnected).
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { isRole, type Role } from '../../auth/roles';
import { announceAccessChanged } from '../server/access-changed';
import { notebookAccess } from '../server/notebook-access';
import { getStorage } from '../server/storage';

export type ShareResult = { ok: true; secret?: string } | { ok: false; error: string };

const roleSchema = z.custom<Role>((v) => isRole(v), 'Pick owner, editor, commenter or viewer.');
/** Link lifetimes offered, in hours; 0 is "never expires". */
const expiryHours = z.coerce.number().int().min(0).max(24 * 365);
/** A notebook, person or link id as the dialog sends it back. */
const idSchema = z.string().min(1).max(200);

/** The id an action was given, or undefined when it is not one. */
const idOf = (value: unknown): string | undefined => {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

async function asOwner(value: unknown): Promise<{ notebookId: string; userId: string } | ShareResult> {
  const notebookId = idOf(value);
  if (!notebookId) return { ok: false, error: 'Missing notebook id.' };
  const access = await notebookAccess(notebookId);
  if (!access) return { ok: false, error: 'That notebook does not exist.' };
  if (access.role !== 'owner' || !access.user) return { ok: false, error: 'Only an owner can share this notebook.' };
  return { notebookId, userId: access.user.id };
}

async function done(notebookId: string, result: ShareResult = { ok: true }): Promise<ShareResult> {
  await announceAccessChanged(notebookId);
  revalidatePath(`/share/${notebookId}`);
  return result;
}

/** Refuses a change that would leave the notebook without an owner. */
async function keepsAnOwner(notebookId: string, userId: string, newRole: Role | null): Promise<boolean> {
  if (newRole === 'owner') return true;
  const owners = (await (await getStorage()).members.list(notebookId)).filter((m) => m.role === 'owner');
  return owners.some((m) => m.userId !== userId);
}

export async function addMemberAction(notebookId: string, email: string, role: string): Promise<ShareResult> {
  const owner = await asOwner(notebookId);
  if ('ok' in owner) return owner;
  const parsed = z.object({ email: z.string().trim().toLowerCase().pipe(z.email('Enter an email address.')), role: roleSchema }).safeParse({ email, role });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'Check the form.' };
  const storage = await getStorage();
  const user = await storage.users.findByEmail(parsed.data.email);
  if (!user) return { ok: false, error: `Nobody has an account with ${parsed.data.email} yet; ask them to sign up first, or share a link.` };
  if (!(await keepsAnOwner(owner.notebookId, user.id, parsed.data.role))) return { ok: false, error: 'A notebook needs at least one owner.' };
  await storage.members.grant(owner.notebookId, user.id, parsed.data.role);
  return done(owner.notebookId);
}

export async function changeMemberAction(notebookId: string, userId: string, role: string): Promise<ShareResult> {
  const owner = await asOwner(notebookId);
  if ('ok' in owner) return owner;
  const member = idOf(userId);
  if (!isRole(role)) return { ok: false, error: 'Pick owner, editor, commenter or viewer.' };
  const storage = await getStorage();
  if (!member || !(await storage.members.roleOf(owner.notebookId, member))) return { ok: false, error: 'That person has no role here any more.' };
  if (!(await keepsAnOwner(owner.notebookId, member, role))) return { ok: false, error: 'A notebook needs at least one owner.' };
  await storage.members.grant(owner.notebookId, member, role);
  return done(owner.notebookId);
}

export async function revokeMemberAction(notebookId: string, userId: string): Promise<ShareResult> {
  const owner = await asOwner(notebookId);
  if ('ok' in owner) return owner;
  const member = idOf(userId);
  if (!member) return { ok: false, error: 'That person has no role here any more.' };
  if (!(await keepsAnOwner(owner.notebookId, member, null))) return { ok: false, error: 'A notebook needs at least one owner.' };
  await (await getStorage()).members.revoke(owner.notebookId, member);
  return done(owner.notebookId);
}

export async function createLinkAction(notebookId: string, role: string, hours: string | number): Promise<ShareResult> {
  const owner = await asOwner(notebookId);
  if ('ok' in owner) return owner;
  const parsed = z.object({ role: roleSchema, hours: expiryHours }).safeParse({ role, hours });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'Check the form.' };
  if (parsed.data.role === 'owner') return { ok: false, error: 'A link can give editor, commenter or viewer access; add owners by email.' };
  const expiresAt = parsed.data.hours ? new Date(Date.now() + parsed.data.hours * 3600_000) : null;
  const { secret } = await (await getStorage()).shareLinks.create({ notebookId: owner.notebookId, role: parsed.data.role, expiresAt, createdBy: owner.userId });
  revalidatePath(`/share/${owner.notebookId}`);
  return { ok: true, secret };
}

export async function setLinkRoleAction(notebookId: string, linkId: string, role: string): Promise<ShareResult> {
  const owner = await asOwner(notebookId);
  if ('ok' in owner) return owner;
  if (role !== 'editor' && role !== 'commenter' && role !== 'viewer') return { ok: false, error: 'A link can give editor, commenter or viewer access.' };
  const link = idOf(linkId);
  if (!link || !(await (await getStorage()).shareLinks.setRole(owner.notebookId, link, role))) return { ok: false, error: 'No such link.' };
  return done(owner.notebookId);
}

export async function revokeLinkAction(notebookId: string, linkId: string): Promise<ShareResult> {
  const owner = await asOwner(notebookId);
  if ('ok' in owner) return owner;
  const link = idOf(linkId);
  if (!link) return { ok: false, error: 'No such link.' };
  await (await getStorage()).shareLinks.revoke(owner.notebookId, link);
  return done(owner.notebookId);
}
