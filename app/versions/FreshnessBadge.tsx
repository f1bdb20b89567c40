// "All outputs fresh", or which cells are stale with the reasons folded in a
// <details> (opens without JavaScript), beside the reproducible-run badge on
// the published page and in the versions list. Renders nothing when the
// notebook carries no run records.
import type { JSX } from 'react';
import type { OutputFreshness } from '../../library/output-freshness';

const NO_ANALYSIS = 'Only edits and kernel restarts are checked for this kernel\'s language.';

export function FreshnessBadge(props: { freshness: OutputFreshness | null }): JSX.Element | null {
  const { freshness } = props;
  if (!freshness) return null;
  const note = freshness.dependencyAnalysis ? undefined : NO_ANALYSIS;
  if (freshness.fresh) {
    return (
      <span className="run-badge freshness-badge" data-testid="freshness" data-state="fresh" title={note ?? 'Every output was made by the code shown, in the kernel session it ran in'}>
        ✓ All outputs fresh
      </span>
    );
  }
  const cells = freshness.stale.map((c) => c.index);
  return (
    <details className="freshness-badge" data-testid="freshness" data-state="stale" title={note}>
      <summary>⚠ Stale {cells.length === 1 ? 'output' : 'outputs'}: cell {cells.join(', ')}</summary>
      <ul>
        {freshness.stale.map((c) => (
          <li key={c.index} data-testid="stale-cell" data-index={c.index}>cell {c.index}: {c.reasons.join('; ')}</li>
        ))}
      </ul>
    </details>
  );
}
