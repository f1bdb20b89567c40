// `/notebooks/<id>/versions/compare?from=<version>&to=<version or "live">`: two
// versions (or a version and the notebook now) compared cell by cell. Rendered
// on the server; anyone with a role on the notebook may look. Runs of unchanged
// cells are folded into a <details> ("12 unchanged cells", opened without
// JavaScript), and cells a failed fresh-run version never ran are marked.
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import type { JSX } from 'react';
import { loadNotebookJSON } from '../../../../../library/notebook-library';
import { cellsNotRun } from '../../../../../library/run-result';
import { diffNotebooks, diffSummary, foldUnchanged, type CellDiff } from '../../../../../library/version-diff';
import { loadVersionNotebook } from '../../../../../library/version-content';
import type { NotebookJSON } from '../../../../../notebook-model/nbformat/types';
import { currentUser } from '../../../../server/accounts';
import { notebookAccess } from '../../../../server/notebook-access';
import { getStorage } from '../../../../server/storage';
import { CellDiffView } from '../../../../versions/CellDiffView';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Compare versions · Cellmate' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ComparePage({ params, searchParams }: Props): Promise<JSX.Element> {
  const { id } = await params;
  const query = await searchParams;
  const access = await notebookAccess(id);
  if (!access) {
    if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(`/notebooks/${id}/versions`)}`);
    notFound();
  }
  const storage = await getStorage();
  const notebook = await storage.notebooks.get(id);
  if (!notebook) notFound();

  /** A side of the comparison: one of this notebook's versions, or "live". */
  const side = async (value: string | string[] | undefined): Promise<{ label: string; notebook: NotebookJSON; notRun: ReadonlySet<string> } | null> => {
    if (value === 'live') return { label: 'the notebook now', notebook: await loadNotebookJSON(storage, id), notRun: new Set() };
    if (typeof value !== 'string') return null;
    const version = await storage.versions.get(value);
    if (!version || version.notebookId !== id) return null;
    return { label: `“${version.name}”`, notebook: await loadVersionNotebook(storage, version.id), notRun: cellsNotRun(version.runResult) };
  };
  const from = await side(query.from);
  const to = await side(query.to ?? 'live');
  if (!from || !to) notFound();
  const diff = diffNotebooks(from.notebook, to.notebook);
  const summary = diffSummary(diff);
  const cellView = (entry: CellDiff) => (
    <CellDiffView key={`${entry.kind}:${entry.id}`} diff={entry} notRun={from.notRun.has(entry.id) || to.notRun.has(entry.id)} />
  );
  return (
    <main className="versions-page" data-testid="compare-page">
      <p><a href={`/notebooks/${encodeURIComponent(id)}/versions`}>← Versions of {notebook.title}</a></p>
      <h1>{from.label} → {to.label}</h1>
      <p data-testid="diff-summary">
        {summary.added} added · {summary.removed} removed · {summary.changed} changed · {summary.moved} moved
      </p>
      {foldUnchanged(diff).map((section) => (section.kind === 'cell'
        ? cellView(section.diff)
        : (
          <details key={`unchanged:${section.diffs[0].id}`} className="unchanged-run" data-testid="unchanged-run">
            <summary>{section.diffs.length} unchanged cells</summary>
            {section.diffs.map(cellView)}
          </details>
        )))}
    </main>
  );
}
