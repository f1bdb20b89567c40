'use client';
// Asks a guest for the name collaborators will see, then joins.
import { useActionState, type JSX } from 'react';
import { joinAsGuestAction } from './actions';

export function JoinForm(props: { secret: string; title: string; role: string; suggestedName: string }): JSX.Element {
  const [error, submit, pending] = useActionState<string | null, FormData>(joinAsGuestAction.bind(null, props.secret), null);
  return (
    <form action={submit} className="name-form" data-testid="join-form">
      <h1>Join “{props.title}”</h1>
      <p>You are invited as <strong data-testid="join-role">{props.role}</strong>. Pick the name others will see beside your cursor.</p>
      <input name="name" data-testid="join-name" aria-label="Your name" placeholder="Your name" maxLength={40} defaultValue={props.suggestedName} autoFocus required />
      <button type="submit" data-testid="join-submit" disabled={pending}>{pending ? 'Joining…' : 'Join'}</button>
      {error && <p role="alert" className="form-error">{error}</p>}
    </form>
  );
}
