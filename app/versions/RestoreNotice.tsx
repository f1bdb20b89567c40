'use client';
// In the editor, after a restore made this page reload: "Ada restored “Draft 2”",
// with a link to the version saved just before it ("Before Ada restored …"),
// compared with the notebook now, where whatever this person had typed is
// kept. The restore comes from restore-notice.ts; names are read from the
// versions API, so only ids travel through the close reason.
import { useEffect, useState, type JSX } from 'react';
import { dismissPageRestoreNotice, pageRestoreNotice } from './restore-notice';

interface Shown {
  who: string | null;
  restoredName: string;
  backup: { id: string; name: string } | null;
}

async function versionOf(id: string): Promise<{ name: string; authorName: string } | null> {
  const response = await fetch(`/api/versions/${encodeURIComponent(id)}`).catch(() => null);
  if (!response?.ok) return null;
  const { version } = (await response.json()) as { version?: { name?: unknown; authorName?: unknown } };
  return typeof version?.name === 'string' && typeof version.authorName === 'string' ? { name: version.name, authorName: version.authorName } : null;
}

export function RestoreNotice(props: { notebookId: string }): JSX.Element | null {
  const { notebookId } = props;
  const [shown, setShown] = useState<Shown | null>(null);
  useEffect(() => {
    const notice = pageRestoreNotice(notebookId);
    if (!notice) return;
    let live = true;
    void (async () => {
      const [restored, backup] = await Promise.all([
        versionOf(notice.restoredVersionId),
        notice.backupVersionId ? versionOf(notice.backupVersionId) : Promise.resolve(null),
      ]);
      if (!live) return;
      setShown({
        // The version saved just before is saved by the person who restored.
        who: backup?.authorName ?? null,
        restoredName: restored?.name ?? 'an earlier version',
        backup: backup && notice.backupVersionId ? { id: notice.backupVersionId, name: backup.name } : null,
      });
    })();
    return () => { live = false; };
  }, [notebookId]);
  if (!shown) return null;
  const compare = shown.backup
    ? `/notebooks/${encodeURIComponent(notebookId)}/versions/compare?from=${encodeURIComponent(shown.backup.id)}&to=live`
    : null;
  return (
    <div className="notebook-banner restore-notice" role="status" data-testid="restore-notice">
      <span data-testid="restore-notice-text">{shown.who ?? 'Someone'} restored “{shown.restoredName}”.</span>{' '}
      {compare && shown.backup
        ? <>The notebook as it was just before, with anything you had typed, is kept in <a href={compare} data-testid="restore-notice-backup">“{shown.backup.name}”</a>.</>
        : <>The page reloaded onto it.</>}
      {' '}<button type="button" onClick={() => { dismissPageRestoreNotice(notebookId); setShown(null); }} data-testid="restore-notice-dismiss">Dismiss</button>
    </div>
  );
}
