'use server';
// Server actions behind the notebook list: create, rename, delete. Input is
// validated here (the edge), the caller's role is checked here (the creator
// owns a new notebook; renaming needs edit rights, deleting ownership; someone
// with no role is told the notebook does not exist), and every failure comes
// back as a message the list shows beside the control that caused it.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { createNotebook } from '../../library/notebook-library';
import { NotFoundError } from '../../storage';
import { allows, type NotebookAccessLevel } from '../api/access';
import { currentUser } from '../server/accounts';
import { notebookAccess } from '../server/notebook-access';
import { announceAccessChanged } from '../server/access-changed';
import { getStorage } from '../server/storage';

export type NotebookActionResult = { ok: true; id?: string } | { ok: false; error: string };

const titleSchema = z
  .string({ error: 'Give the notebook a title.' })
  .trim()
  .min(1, 'Give the notebook a title.')
  .max(200, 'A title can be at most 200 characters.');

const idSchema = z.string({ error: 'Missing notebook id.' }).trim().min(1, 'Missing notebook id.').max(100, 'Not a notebook id.');

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Invalid input.';
}

function failure(err: unknown, action: string): NotebookActionResult {
  if (err instanceof NotFoundError) return { ok: false, error: 'That notebook no longer exists. Reload the list.' };
  console.error(`notebook list: ${action} failed`, err);
  // Anything else is a bug: logged here, and told without its internals.
  return { ok: false, error: `Could not ${action} the notebook: something failed on the server. Try again, and tell the administrator if it persists.` };
}

const notFound: NotebookActionResult = { ok: false, error: 'That notebook no longer exists. Reload the list.' };

/** Null when the caller may act at `level` on the notebook, else the refusal to return. */
async function refusal(id: string, level: NotebookAccessLevel): Promise<NotebookActionResult | null> {
  const access = await notebookAccess(id);
  if (!access) return notFound;
  if (!allows(access.role, level)) return { ok: false, error: `Your role on this notebook (${access.role}) does not allow this.` };
  return null;
}

/**
 * Creates an empty notebook and opens it, as Jupyter and Colab do. Used with
 * useActionState, so it takes the previous result first; it returns only to
 * say what failed.
 */
export async function createNotebookAction(_previous: NotebookActionResult | null, form: FormData): Promise<NotebookActionResult> {
  const title = titleSchema.safeParse(form.get('title'));
  if (!title.success) return { ok: false, error: firstIssue(title.error) };
  const user = await currentUser();
  if (!user) return { ok: false, error: 'Sign in to create notebooks.' };
  let id: string;
  try {
    const storage = await getStorage();
    const record = await createNotebook(storage, { title: title.data });
    await storage.members.grant(record.id, user.id, 'owner');
    revalidatePath('/');
    id = record.id;
  } catch (err) {
    return failure(err, 'create');
  }
  // Outside the try: redirect() works by throwing.
  redirect(`/notebooks/${encodeURIComponent(id)}`);
}

export async function renameNotebookAction(id: string, title: string): Promise<NotebookActionResult> {
  const parsed = z.object({ id: idSchema, title: titleSchema }).safeParse({ id, title });
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
  const refused = await refusal(parsed.data.id, 'edit');
  if (refused) return refused;
  try {
    await (await getStorage()).notebooks.rename(parsed.data.id, parsed.data.title);
    revalidatePath('/');
    return { ok: true, id: parsed.data.id };
  } catch (err) {
    return failure(err, 'rename');
  }
}

export async function deleteNotebookAction(id: string): Promise<NotebookActionResult> {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.error) };
  const refused = await refusal(parsed.data, 'own');
  if (refused) return refused;
  try {
    await (await getStorage()).notebooks.delete(parsed.data);
    await announceAccessChanged(parsed.data); // open pages learn at once that it is gone
    revalidatePath('/');
    return { ok: true };
  } catch (err) {
    return failure(err, 'delete');
  }
}
