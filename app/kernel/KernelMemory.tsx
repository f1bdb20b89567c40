'use client';
// The kernel's memory in use, beside its status, for everyone: from the
// sandbox's cgroup where there is one, else the kernel's process tree (read by
// the bridge). From 80% of the limit (KERNEL_MEMORY_LIMIT_MB) it warns, before the
// kernel is stopped for want of memory.
import type { JSX } from 'react';
import { formatBytes, memoryLevel } from './kernel-resources';
import type { KernelUi } from './kernel-ui';
import { useKernelResources } from './use-kernel-resources';

export function KernelMemory(props: { kernel: KernelUi; live: boolean }): JSX.Element | null {
  const memory = useKernelResources(props.kernel.resources)?.memory;
  if (!memory || !props.live) return null;
  const level = memoryLevel(memory);
  const of = memory.limitBytes ? ` of ${formatBytes(memory.limitBytes)}` : '';
  const title = level === 'ok'
    ? 'Memory the kernel uses now'
    : 'The kernel is close to its memory limit: at the limit it is stopped and every variable is lost. Free large variables (del) or restart it.';
  return (
    <span className="kernel-memory" data-testid="kernel-memory" data-level={level} data-used={memory.usedBytes} title={title}>
      · {level === 'ok' ? '' : '⚠ '}{formatBytes(memory.usedBytes)}{of}
      {level !== 'ok' && <span data-testid="kernel-memory-warning"> — near the memory limit</span>}
    </span>
  );
}
