'use client';
// The share dialog: add people by email with a role, change or remove them;
// make links with a role and an expiry, change their role, revoke them. Every
// control calls a server action that re-checks ownership; the page is then
// re-rendered from the database. A role change takes effect at once for
// everyone that role covers (open pages included), so it is confirmed first;
// declined, the select goes back to the role as stored.
import { useState, useTransition, type JSX } from 'react';
import type { Role } from '../../auth/roles';
import { formatTimestamp } from '../../library/timestamps';
import {
  addMemberAction, changeMemberAction, createLinkAction, revokeLinkAction, revokeMemberAction, setLinkRoleAction, type ShareResult,
} from './actions';

export interface MemberView { userId: string; name: string; email: string; role: Role }
export interface ShareLinkView {
  id: string; role: Role; expiresAt: string | null; revoked: boolean; expired: boolean; guests: string[];
  /** Set for the links a workshop made: which of its two, and the workshop's name. */
  workshop: { kind: 'attendee' | 'presenter'; name: string } | null;
}

/** "Workshop attendee link · workshop of 2026-12-03 09:00 UTC · viewer", "Link · expires … · no expiry". */
function linkLabel(l: ShareLinkView): string {
  const live = !l.revoked && !l.expired;
  const state = live ? '' : l.revoked ? 'Revoked ' : 'Expired ';
  if (l.workshop) {
    const what = `${state}workshop ${l.workshop.kind} link`;
    return `${what.charAt(0).toUpperCase()}${what.slice(1)} · ${l.workshop.name} · ${l.role}`;
  }
  return `${live ? 'Link' : `${state}link`} · ${l.expiresAt ? `expires ${formatTimestamp(l.expiresAt)}` : 'no expiry'}`;
}

const expiryChoices = [
  { hours: 2, label: '2 hours' },
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '1 week' },
  { hours: 0, label: 'never' },
];

const roleMeaning: Record<string, string> = { viewer: 'they can only read it', editor: 'they can edit and run it', owner: 'they can also share and delete it' };

/** The confirmation a role change asks for: who, from what to what, and what that means. */
export function roleChangeQuestion(who: string, from: string, to: string): string {
  return `Change ${who} from ${from} to ${to}? As ${/^[aeiou]/.test(to) ? 'an' : 'a'} ${to}, ${roleMeaning[to] ?? 'their access changes'}; open pages change at once.`;
}

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
                onChange={(e) => {
                  const role = e.target.value;
                  if (window.confirm(roleChangeQuestion(m.name || m.email, m.role, role))) run(() => changeMemberAction(id, m.userId, role));
                }}
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
              <li key={l.id} className="share-row" data-testid="link" data-live={live} data-workshop-link={l.workshop?.kind}>
                <span className="share-who" data-testid="link-label">
                  {linkLabel(l)}
                  {l.guests.length > 0 && <span className="share-email"> · guests: {l.guests.join(', ')}</span>}
                </span>
                {live ? (
                  <>
                    <select value={l.role} aria-label="Role of link guests" disabled={pending} data-testid="link-role-select" onChange={(e) => {
                      const role = e.target.value;
                      if (window.confirm(roleChangeQuestion('everyone who joined through this link', l.role, role))) run(() => setLinkRoleAction(id, l.id, role));
                    }}>
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
