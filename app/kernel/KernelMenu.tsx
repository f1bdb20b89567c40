'use client';
// The run controls of the toolbar, for people who may run code: Run (the
// selected cell, then the next one, like Shift+Enter), Interrupt, Restart,
// Restart & run all, a Run menu (all, above, below, clear outputs, shut the
// kernel down) and the kernel picker listing every installed kernelspec. Like the rest of the
// toolbar, clicking leaves the keyboard focus in the cell. What would throw away
// a running kernel's state (restart, shut down, change kernel) asks first: that
// state is everyone's, not only the clicker's.
import { useEffect, useRef, useState, useSyncExternalStore, type JSX, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { metaOf, notebookMetadataOf } from '../../notebook-model';
import type { NotebookContext } from '../notebook/notebook-context';
import { useYDeep } from '../notebook/y-hooks';
import type { KernelSpecSummary } from './kernel-client';
import type { KernelUi } from './kernel-ui';
import { useKernelState } from './use-kernel-state';
import { useDismiss } from '../hooks/use-dismiss';

export function KernelMenu(props: { context: NotebookContext; kernel: KernelUi }): JSX.Element {
  const { context, kernel } = props;
  const { commands, selection, session } = context;
  const state = useKernelState(kernel.state);
  const selected = useSyncExternalStore(selection.subscribe, () => selection.selected, () => null);
  const started = state.status !== 'none';
  const live = started && state.status !== 'dead';

  return (
    <>
      <span className="toolbar-sep" />
      <button type="button" data-testid="run-cell" title="Run the selected cell and select the next (Shift+Enter)" disabled={!selected} onClick={() => commands.run('runSelectNext')}>▶ Run</button>
      <button type="button" data-testid="interrupt-kernel" title="Interrupt the kernel (stops the running cell, empties the queue)" disabled={!started || state.status === 'dead'} onClick={() => void kernel.actions.interrupt()}>■</button>
      <button type="button" data-testid="restart-kernel" title="Restart the kernel (everyone's variables are lost)" disabled={!started} onClick={() => confirmLoss(live, 'Restart the kernel') && void kernel.actions.restart()}>↻</button>
      <button type="button" data-testid="restart-run-all" title="Restart the kernel, then run all cells" onClick={() => confirmLoss(live, 'Restart the kernel and run all cells') && void kernel.actions.restartAndRunAll()}>↻ Run all</button>
      <RunMenu>
        {(close) => (
          <>
            <MenuItem testId="run-selected" disabled={!selected} onSelect={close(() => commands.runSelected())}>Run selected cells</MenuItem>
            <MenuItem testId="run-stale" title="Run every stale cell and the cells that read from them, top to bottom (Shift+R)" onSelect={close(() => commands.run('runStale'))}>Run stale cells</MenuItem>
            <MenuItem testId="run-all" onSelect={close(() => kernel.actions.runAll())}>Run all cells</MenuItem>
            <MenuItem testId="run-above" disabled={!selected} onSelect={close(() => selected && kernel.actions.runAbove(selected))}>Run all above selected cell</MenuItem>
            <MenuItem testId="run-below" disabled={!selected} onSelect={close(() => selected && kernel.actions.runBelow(selected))}>Run selected cell and all below</MenuItem>
            <MenuItem testId="clear-outputs" onSelect={close(() => kernel.actions.clearAllOutputs())}>Clear all outputs</MenuItem>
            <MenuItem testId="shutdown-kernel" disabled={!started} title="Stop the kernel for everyone (variables are lost) and free it for your kernel limit; the next run starts a new one" onSelect={close(() => confirmLoss(live, 'Shut down the kernel') && kernel.actions.shutdown())}>Shut down kernel</MenuItem>
          </>
        )}
      </RunMenu>
      <KernelSelect kernel={kernel} doc={session.doc} current={state.specName} live={live} />
    </>
  );
}

/** Asks before losing a running kernel's state; true to go on. Nothing to lose when no kernel runs. */
function confirmLoss(live: boolean, what: string): boolean {
  return !live || window.confirm(`${what}? Every variable in this notebook's kernel is lost, for everyone working in it.`);
}

type Closer = (action: () => unknown) => () => void;

/** A small dropdown: opens on click, closes on a choice, Escape or a click elsewhere. */
function RunMenu(props: { children: (close: Closer) => ReactNode }): JSX.Element {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useDismiss(open, root, () => setOpen(false));
  const close: Closer = (action) => () => {
    setOpen(false);
    void action();
  };
  return (
    <span className="kernel-run-menu" ref={root}>
      <button type="button" data-testid="run-menu" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>Run ▾</button>
      {open && <div className="kernel-run-menu-items" role="menu">{props.children(close)}</div>}
    </span>
  );
}

function MenuItem(props: { testId: string; disabled?: boolean; title?: string; onSelect: () => void; children: ReactNode }): JSX.Element {
  return (
    <button type="button" role="menuitem" data-testid={props.testId} disabled={props.disabled} title={props.title} onClick={props.onSelect}>
      {props.children}
    </button>
  );
}

/** Every installed kernelspec; choosing one replaces the notebook's kernel for everyone. */
function KernelSelect(props: { kernel: KernelUi; doc: Y.Doc; current?: string; live: boolean }): JSX.Element {
  const { kernel, doc } = props;
  const [specs, setSpecs] = useState<KernelSpecSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    kernel.client.kernelspecs().then(
      (list) => live && setSpecs(list),
      (err: Error) => live && setError(err.message),
    );
    return () => { live = false; };
  }, [kernel]);
  const fromMetadata = useYDeep(metaOf(doc), () => (notebookMetadataOf(doc).kernelspec as { name?: string } | undefined)?.name);
  const value = props.current ?? fromMetadata ?? specs?.[0]?.name ?? '';
  const known = specs ?? [];
  const options = known.some((s) => s.name === value) || value === '' ? known : [{ name: value, displayName: `${value} (not installed)`, language: '' }, ...known];
  return (
    <select
      data-testid="kernel-select"
      aria-label="Kernel"
      title={error ?? 'Change the notebook\'s kernel'}
      value={value}
      disabled={specs === null}
      onChange={(e) => {
        const name = e.target.value;
        const chosen = options.find((s) => s.name === name)?.displayName ?? name;
        // Declined: the select stays controlled by `value`, so it shows the current kernel again.
        if (confirmLoss(props.live, `Change the kernel to ${chosen}`)) void kernel.actions.changeKernel(name);
      }}
    >
      {options.map((s) => <option key={s.name} value={s.name}>{s.displayName}</option>)}
    </select>
  );
}
