'use client';
// The sign-in and sign-up form: email, password (and a name when signing up).
import { useActionState, type JSX } from 'react';
import { signInAction, signUpAction, type AccountFormState } from './actions';

export function AccountForm(props: { mode: 'sign-in' | 'sign-up'; next: string }): JSX.Element {
  const action = props.mode === 'sign-in' ? signInAction : signUpAction;
  const [state, submit, pending] = useActionState<AccountFormState, FormData>(action, null);
  const signingUp = props.mode === 'sign-up';
  return (
    <form action={submit} className="account-form" data-testid={`${props.mode}-form`}>
      <input type="hidden" name="next" value={props.next} />
      {signingUp && (
        <label>
          Name
          <input name="name" autoComplete="name" maxLength={40} required defaultValue={state?.name ?? ''} data-testid="account-name" />
        </label>
      )}
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required defaultValue={state?.email ?? ''} data-testid="account-email" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete={signingUp ? 'new-password' : 'current-password'} minLength={signingUp ? 8 : undefined} required data-testid="account-password" />
      </label>
      <button type="submit" disabled={pending} data-testid="account-submit">
        {pending ? 'Please wait…' : signingUp ? 'Create account' : 'Sign in'}
      </button>
      {state?.error && <p role="alert" className="form-error">{state.error}</p>}
    </form>
  );
}
