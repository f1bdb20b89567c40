// `/p/<slug>`: a published version, for anyone, no account needed. Rendered
// completely on the server from the saved notebook (markdown, code, outputs
// with the editor's renderers); downloads and "Copy & edit" are plain links and
// a form, so the page works without JavaScript. An unpublished version is 404.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { JSX } from 'react';
import { outputFreshnessOf } from '../../../library/output-freshness';
import { isReproducibleRun, loadPublished } from '../../../library/published';
import { cellsNotRun } from '../../../library/run-result';
import { getStorage } from '../../server/storage';
import { FreshnessBadge } from '../../versions/FreshnessBadge';
import { SavedCells } from '../../versions/SavedCells';
import { formatTimestamp } from '../../../library/timestamps';
import { ReaderCommentForm } from '../../comments/ReaderCommentForm';
import { currentUser } from '../../server/accounts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ slug: string }>; searchParams?: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const published = await loadPublished(await getStorage(), slug);
  return { title: published ? `${published.title} · Cellmate` : 'Not found · Cellmate' };
}

export default async function PublishedPage({ params, searchParams }: Params): Promise<JSX.Element> {
  const { slug } = await params;
  const commented = (await searchParams)?.commented;
  const published = await loadPublished(await getStorage(), slug);
  if (!published) notFound();
  const { version, title, notebook, forkCount } = published;
  const base = `/p/${encodeURIComponent(slug)}`;
  const run = version.runResult as { ok?: boolean; durationMs?: number } | null;
  return (
    <main className="published-page" data-testid="published-page">
      <header className="published-header">
        <h1>{title}</h1>
        <p className="published-byline" data-testid="published-byline">
          {version.name} · by {version.authorName} · saved <time dateTime={version.createdAt.toISOString()}>{formatTimestamp(version.createdAt)}</time>
          {' · '}<span data-testid="fork-count">{forkCount} {forkCount === 1 ? 'fork' : 'forks'}</span>
        </p>
        <div className="published-actions">
          {isReproducibleRun(version) && (
            <span className="run-badge" data-testid="reproducible-badge" title="Every cell was run top to bottom in a fresh kernel to make these outputs">
              ✓ Reproducible run{typeof run?.durationMs === 'number' ? ` (${(run.durationMs / 1000).toFixed(1)} s)` : ''}
            </span>
          )}
          <FreshnessBadge freshness={outputFreshnessOf(notebook)} />
          <a href={`${base}/download?format=ipynb`} data-testid="download-ipynb">Download .ipynb</a>
          <a href={`${base}/download?format=stripped`} data-testid="download-stripped">.ipynb without outputs</a>
          <a href={`${base}/download?format=py`} data-testid="download-py">.py</a>
          <form method="post" action={`${base}/fork`}>
            <button type="submit" data-testid="fork-published">Copy &amp; edit</button>
          </form>
        </div>
      </header>
      <SavedCells notebook={notebook} notRun={cellsNotRun(version.runResult)} />
      {version.readerComments && (
        <ReaderCommentForm slug={slug} notebook={notebook} readerName={(await currentUser())?.name ?? null} commentedCellId={typeof commented === 'string' ? commented : undefined} />
      )}
    </main>
  );
}
