// Sign out: a form posting to a server action, so it works without JavaScript.
import type { JSX } from 'react';
import { signOutAction } from './actions';

export function SignOutButton(): JSX.Element {
  return (
    <form action={signOutAction} className="sign-out">
      <button type="submit" data-testid="sign-out">Sign out</button>
    </form>
  );
}
