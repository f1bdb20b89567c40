'use client';
// Asks for a display name once, before the first notebook opens; collaborators
// see it beside this person's cursor and in the presence list.
import { useActionState, type JSX } from 'react';
import { saveDisplayNameAction } from './actions';

export function NameForm(): JSX.Element {
  const [error, submit, pending] = useActionState<string | null, FormData>(saveDisplayNameAction, null);
  return (
    <main className="name-page">
      <form action={submit} className="name-form">
        <h1>What should collaborators call you?</h1>
        <p>Your name appears beside your cursor and in the list of people on a notebook.</p>
        <input name="name" data-testid="name-input" aria-label="Your name" placeholder="Your name" maxLength={40} autoFocus required />
        <button type="submit" data-testid="name-submit" disabled={pending}>{pending ? 'Saving…' : 'Continue'}</button>
        {error && <p role="alert" className="form-error">{error}</p>}
      </form>
    </main>
  );
}
