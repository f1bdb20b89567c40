'use client';
// The share dialog: add people by email with a role, change or remove them;
// make links with a role and an expiry, change their role, revoke them. Every
// control calls a server action that re-checks ownership; the page is then
// re-rendered from the database.
import { useState, useTransition, type JSX } from 'react';
import type { Role } from '../../auth/roles';
import {
  addMemberAction, changeMemberAction, createLinkAction, revokeLinkAction, revokeMemberAction, setLinkRoleAction, type ShareResult,
} from './actions';

export interface MemberView { userId: string; name: string; email: string; role: Role }
export interface ShareLinkView { id: string; role: Role; expiresAt: string | null; revoked: boolean; expired: boolean; guests: string[] }

const expiryChoices = [
  { hours: 2, label: '2 hours' },
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '1 week' },
  { hours: 0, label: 'never' },
];

export function ShareDialog(props: { notebookId: string; me: string; members: MemberView[]; links: ShareLinkView[] }): JSX.Element {
  const [error, setError] = useState<string | null>(null);
  const [newLink, setNewLink] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (action: () => Promise<ShareResult>, after?: (r: ShareResult & { ok: true }) => void) => start(async () => {
    const result = await action();
    if (result.ok) {
      setError(null);
      after?.(result);
    } else setError(result.error);
  });
  const id = props.notebookId;

  return (
    <div className="share-dialog" data-busy={pending}>
      {error && <p role="alert" className="form-error" data-testid="share-error">{error}</p>}

      <section>
        <h2>People</h2>
        <form
          className="share-row"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const target = e.currentTarget;
            run(() => addMemberAction(id, String(form.get('email')), String(form.get('role'))), () => target.reset());
          }}
        >
          <input name="email" type="email" placeholder="Email of a Cellmate account" aria-label="Email" required data-testid="member-email" />
          <select name="role" defaultValue="editor" aria-label="Role" data-testid="member-role">
            <option value="viewer">viewer</option>
            <option value="commenter">commenter</option>
            <option value="editor">editor</option>
            <option value="owner">owner</option>
          </select>
          <button type="submit" disabled={pending} data-testid="member-add">Add</button>
        </form>
        <ul className="share-list" data-testid="members">
          {props.members.map((m) => (
            <li key={m.userId} className="share-row" data-testid="member" data-email={m.email}>
              <span className="share-who">{m.name} <span className="share-email">{m.email}</span>{m.userId === props.me && ' (you)'}</span>
              <select
                value={m.role}
                aria-label={`Role of ${m.email}`}
                disabled={pending}
                data-testid="member-role-select"
                onChange={(e) => run(() => changeMemberAction(id, m.userId, e.target.value))}
              >
                <option value="viewer">viewer</option>
                <option value="commenter">commenter</option>
                <option value="editor">editor</option>
                <option value="owner">owner</option>
              </select>
              <button type="button" className="danger" disabled={pending} data-testid="member-remove" onClick={() => run(() => revokeMemberAction(id, m.userId))}>Remove</button>
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h2>Share links</h2>
        <p className="share-hint">Anyone with a link joins as a guest with its role after picking a name, without an account.</p>
        <form
          className="share-row"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            run(() => createLinkAction(id, String(form.get('role')), String(form.get('hours'))), (r) => setNewLink(`${window.location.origin}/join/${r.secret}`));
          }}
        >
          <select name="role" defaultValue="viewer" aria-label="Link role" data-testid="link-role">
            <option value="viewer">viewer</option>
            <option value="commenter">commenter</option>
            <option value="editor">editor</option>
          </select>
          <label>expires after{' '}
            <select name="hours" defaultValue="24" aria-label="Link expiry" data-testid="link-expiry">
              {expiryChoices.map((c) => <option key={c.hours} value={c.hours}>{c.label}</option>)}
            </select>
          </label>
          <button type="submit" disabled={pending} data-testid="link-create">Create link</button>
        </form>
        {newLink && (
          <p className="share-new-link">
            New link (shown once; copy it now): <input readOnly value={newLink} data-testid="new-link" onFocus={(e) => e.currentTarget.select()} size={60} />
          </p>
        )}
        <ul className="share-list" data-testid="links">
          {props.links.map((l) => {
            const live = !l.revoked && !l.expired;
            return (
              <li key={l.id} className="share-row" data-testid="link" data-live={live}>
                <span className="share-who">
                  {live ? 'Link' : l.revoked ? 'Revoked link' : 'Expired link'} · {l.expiresAt ? `expires ${new Date(l.expiresAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC` : 'no expiry'}
                  {l.guests.length > 0 && <span className="share-email"> · guests: {l.guests.join(', ')}</span>}
                </span>
                {live ? (
                  <>
                    <select value={l.role} aria-label="Role of link guests" disabled={pending} data-testid="link-role-select" onChange={(e) => run(() => setLinkRoleAction(id, l.id, e.target.value))}>
                      <option value="viewer">viewer</option>
                      <option value="commenter">commenter</option>
                      <option value="editor">editor</option>
                    </select>
                    <button type="button" className="danger" disabled={pending} data-testid="link-revoke" onClick={() => run(() => revokeLinkAction(id, l.id))}>Revoke</button>
                  </>
                ) : <span className="share-email">{l.role}</span>}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
