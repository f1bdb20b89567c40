'use client';
// The kernel's user variables, the same for everyone in the notebook: name,
// type, size in memory, shape or length and a short repr, largest first, as the
// bridge described them after the last run (a silent request: no cell count is
// used). Large frames and arrays are only described, never sent. Other kernels
// than Python: the panel says it is not available.
import { useState, type JSX } from 'react';
import { formatBytes, shapeText } from './kernel-resources';
import type { KernelUi } from './kernel-ui';
import { useKernelResources } from './use-kernel-resources';
import { formatClockTime } from '../../library/timestamps';

export function VariablesButton(props: { kernel: KernelUi }): JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <span className="variables-toggle">
      <button type="button" data-testid="variables-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} title="The kernel's variables, for everyone in the notebook">
        Variables
      </button>
      {open && <VariablesPanel kernel={props.kernel} onClose={() => setOpen(false)} />}
    </span>
  );
}

export function VariablesPanel(props: { kernel: KernelUi; onClose: () => void }): JSX.Element {
  const resources = useKernelResources(props.kernel.resources);
  const variables = resources?.variables;
  return (
    <aside className="variables-panel" data-testid="variables-panel" aria-label="Kernel variables">
      <header>
        <strong>Variables</strong>
        {variables?.state === 'ok' && (
          <span className="variables-meta" data-testid="variables-meta">
            {variables.total > variables.list.length ? ` · largest ${variables.list.length} of ${variables.total}` : ` · ${variables.total}`}
            {' · as of '}<time dateTime={new Date(variables.at).toISOString()}>{formatClockTime(variables.at)}</time>
          </span>
        )}
        <button type="button" aria-label="Close" onClick={props.onClose}>✕</button>
      </header>
      {!variables ? (
        <p data-testid="variables-unavailable">No kernel is running for this notebook.</p>
      ) : variables.state === 'unavailable' ? (
        <p data-testid="variables-unavailable">{variables.reason}</p>
      ) : variables.list.length === 0 ? (
        <p data-testid="variables-empty">No variables yet.</p>
      ) : (
        <table className="variables-table" data-testid="variables-table">
          <thead><tr><th>Name</th><th>Type</th><th>Size</th><th>Shape</th><th>Value</th></tr></thead>
          <tbody>
            {[...variables.list].sort((a, b) => (b.size ?? -1) - (a.size ?? -1)).map((v) => (
              <tr key={v.name} data-testid="variable-row" data-name={v.name} data-size={v.size ?? undefined}>
                <td className="variable-name">{v.name}</td>
                <td>{v.type}</td>
                <td className="variable-size">{v.size === null ? '?' : formatBytes(v.size)}</td>
                <td>{shapeText(v)}</td>
                <td className="variable-repr" title={v.repr}>{v.repr}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
