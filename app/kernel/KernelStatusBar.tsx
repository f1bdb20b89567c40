'use client';
// The kernel as everyone in the notebook sees it: its name and status (starting,
// idle, busy, restarting, dead, or none yet), who started the cell that runs now,
// how many wait, and who pressed Interrupt and what came of it. `KernelBanner` is the louder part under the header: why a
// dead kernel died (with Restart for those who may run code), and what went
// wrong with this person's own last request.
import type { JSX } from 'react';
import { useObservableValue } from '../hooks/observable-value';
import './kernel.css';
import { KernelMemory } from './KernelMemory';
import { outOfMemoryText } from './kernel-resources';
import { interruptLabel, statusLabel } from './kernel-state';
import { useKernelResourcesSelector } from './use-kernel-resources';
import type { KernelUi } from './kernel-ui';
import { useKernelState } from './use-kernel-state';

export function KernelStatusBar(props: { kernel: KernelUi }): JSX.Element {
  const state = useKernelState(props.kernel.state);
  const label = statusLabel(state.status);
  const name = state.displayName ?? state.specName;
  const waiting = state.queue.length;
  const interrupt = interruptLabel(state);
  return (
    <div className="kernel-status" data-testid="kernel-status" data-status={state.status} role="status" aria-live="polite">
      <span className="kernel-status-dot" aria-hidden />
      {name && <span className="kernel-name" data-testid="kernel-name">{name}</span>}
      <span className="kernel-status-label" data-testid="kernel-status-label">{label}</span>
      {state.isolation && !state.isolation.sandboxed && (
        <span className="kernel-unsandboxed" data-testid="kernel-unsandboxed" title={state.isolation.description}>· not sandboxed</span>
      )}
      {state.runBy && state.runningCellId && (
        <span className="kernel-run-by" data-testid="kernel-run-by" title="Who started the cell that is running">
          · run by {state.runBy.name}
        </span>
      )}
      <KernelMemory kernel={props.kernel} live={state.status !== 'none' && state.status !== 'dead'} />
      {waiting > 0 && <span className="kernel-queue-length" data-testid="kernel-queue-length">· {waiting} queued</span>}
      {interrupt && (
        <span className="kernel-interrupt" data-testid="kernel-interrupt" data-outcome={state.interrupt?.outcome}>
          · {interrupt}
        </span>
      )}
    </div>
  );
}

export function KernelBanner(props: { kernel: KernelUi }): JSX.Element | null {
  const { kernel } = props;
  const state = useKernelState(kernel.state);
  const notice = useObservableValue(kernel.notices, null);
  // The text, not the object: the resources change with every memory figure.
  const outOfMemory = useKernelResourcesSelector(kernel.resources, (r) => (r?.outOfMemory ? outOfMemoryText(r.outOfMemory) : undefined));
  const dead = state.status === 'dead';
  if (!dead && !notice) return null;
  return (
    <div className="kernel-banners">
      {dead && (
        <div className="notebook-banner kernel-dead" role="alert" data-testid="kernel-dead">
          <strong>The kernel died.</strong>{' '}
          <span data-testid="kernel-dead-reason">{state.deadReason ?? 'It stopped unexpectedly.'}</span>{' '}
          {outOfMemory && <span data-testid="kernel-out-of-memory">{outOfMemory} </span>}
          {state.notRun?.length ? <span>{state.notRun.length} queued cell{state.notRun.length === 1 ? ' was' : 's were'} not run. </span> : null}
          {kernel.canRun
            ? <button type="button" data-testid="restart-dead-kernel" onClick={() => void kernel.actions.restart()}>Restart kernel</button>
            : <span>Someone who can run code must restart it.</span>}
        </div>
      )}
      {notice && (
        <div className="notebook-banner kernel-notice" role="alert" data-testid="kernel-notice">
          {notice}{' '}
          <button type="button" className="kernel-notice-dismiss" aria-label="Dismiss" onClick={() => kernel.notices.dismiss()}>✕</button>
        </div>
      )}
    </div>
  );
}
