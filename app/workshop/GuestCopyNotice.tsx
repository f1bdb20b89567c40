// The banner on a workshop guest's own copy: it belongs to this browser (no
// account), and is deleted some time after the workshop ends.
import type { JSX } from 'react';
import { formatTimestamp } from '../../library/timestamps';


export function GuestCopyNotice(props: { expiresAt: string | null; keptDays: number }): JSX.Element {
  return (
    <div className="notebook-banner guest-copy-notice" data-testid="guest-copy-notice" data-expires-at={props.expiresAt ?? ''}>
      Your own copy, kept in this browser without an account: edit and run it as you like.{' '}
      {props.expiresAt
        ? `It will be deleted on ${formatTimestamp(props.expiresAt)}; download it to keep it.`
        : `It is kept ${props.keptDays} ${props.keptDays === 1 ? 'day' : 'days'} after the workshop ends; download it to keep it longer.`}
    </div>
  );
}
