'use client';
// "New notebook" form on the list page. Creating opens the new notebook (the
// action redirects to it); a refusal is shown beside the form.
import { useActionState, type JSX } from 'react';
import { createNotebookAction, type NotebookActionResult } from './actions';

export function CreateNotebookForm(): JSX.Element {
  const [result, submit, pending] = useActionState<NotebookActionResult | null, FormData>(createNotebookAction, null);
  return (
    <form action={submit} className="create-notebook">
      <input
        name="title"
        data-testid="new-notebook-title"
        placeholder="Title of a new notebook"
        aria-label="Title of a new notebook"
        maxLength={200}
        required
        key={result?.ok ? result.id : 'draft'}
        defaultValue=""
      />
      <button type="submit" data-testid="create-notebook" disabled={pending}>{pending ? 'Creating…' : 'Create'}</button>
      {result && !result.ok && <p role="alert" className="form-error">{result.error}</p>}
    </form>
  );
}
