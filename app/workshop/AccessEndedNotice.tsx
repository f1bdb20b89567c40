// The page a workshop guest sees instead of a notebook they can no longer
// open: their copy expired, or the workshop they joined ended.
import type { JSX } from 'react';
import type { AccessEnded } from '../server/access-ended';

export function AccessEndedNotice(props: { ended: AccessEnded }): JSX.Element {
  const { ended } = props;
  return (
    <main className="name-page">
      <div className="name-form" data-testid={ended.kind}>
        <h1>{ended.kind === 'copy-expired' ? 'This copy expired' : 'This workshop has ended'}</h1>
        <p>{ended.message}</p>
        <p><a href="/sign-up">Sign up</a> to keep your notebooks in an account.</p>
      </div>
    </main>
  );
}
