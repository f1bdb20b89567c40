// `/notebooks/<id>/versions`: the notebook's saved versions, newest first, with
// author, time and name, and the actions the viewer's role allows.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { JSX } from 'react';
import { canEdit, canRun } from '../../../../auth/roles';
import { FRESHNESS_CHECKED_VERSIONS, versionFreshness } from '../../../../library/output-freshness';
import { currentUser } from '../../../server/accounts';
import { notebookAccess } from '../../../server/notebook-access';
import { getStorage } from '../../../server/storage';
import { runSummaryText } from '../../../versions/run-summary-text';
import { VersionsPanel, type VersionRow } from '../../../versions/VersionsPanel';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Versions · Cellmate' };

export default async function VersionsPage({ params }: { params: Promise<{ id: string }> }): Promise<JSX.Element> {
  const { id } = await params;
  const access = await notebookAccess(id);
  if (!access) {
    if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(`/notebooks/${id}/versions`)}`);
    notFound();
  }
  const storage = await getStorage();
  const notebook = await storage.notebooks.get(id);
  if (!notebook) notFound();
  const versions: VersionRow[] = await Promise.all((await storage.versions.list(id)).map(async (v, i) => ({
    id: v.id,
    name: v.name,
    authorName: v.authorName,
    kind: v.kind,
    createdAt: v.createdAt.toISOString(),
    publishedUrl: v.publishedSlug ? `/p/${v.publishedSlug}` : null,
    readerComments: v.readerComments,
    runSummary: runSummaryText(v.runResult),
    freshness: i < FRESHNESS_CHECKED_VERSIONS ? await versionFreshness(storage, v.id) : null,
  })));
  const forkCount = await storage.notebooks.forkCount(id);
  return (
    <main className="versions-page" data-testid="versions-page">
      <p><a href={`/notebooks/${encodeURIComponent(id)}`} data-testid="back-to-notebook">← {notebook.title}</a> · <Link href="/">All notebooks</Link></p>
      <h1>Versions of “{notebook.title}”</h1>
      <p data-testid="notebook-fork-count">{forkCount} {forkCount === 1 ? 'fork' : 'forks'}</p>
      <VersionsPanel
        notebookId={id}
        versions={versions}
        canEdit={canEdit(access.role)}
        canRun={canRun(access.role)}
        isOwner={access.role === 'owner' && access.user !== null}
        canFork={access.user !== null}
      />
    </main>
  );
}
