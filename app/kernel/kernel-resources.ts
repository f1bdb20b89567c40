// The kernel's variables and memory as the page sees them: the bridge's
// `kernelResources` awareness field (notebook-model/service-protocol.ts),
// validated on the way in, plus the words and thresholds the panel and the
// status bar use. Pure, so it is tested without a browser.
import { kernelResourcesKey, kernelResourcesSchema, type KernelResourcesState, type KernelVariable } from '../../notebook-model/service-protocol';
import { newestPublished, type AwarenessEntry } from './kernel-state';

export type { KernelResourcesState, KernelVariable };

/** From this share of the limit on, the status bar warns. */
export const MEMORY_WARNING_SHARE = 0.8;

/** The published resources (the most recently updated bridge entry wins), or null when none is. */
export function kernelResourcesOf(entries: Iterable<AwarenessEntry>): KernelResourcesState | null {
  return newestPublished(entries, kernelResourcesKey, kernelResourcesSchema) ?? null;
}

/** "812 B", "4.2 KB", "100 MB", "1.6 GB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "1000 × 3", "len 12", or '' for a variable with neither. */
export function shapeText(variable: KernelVariable): string {
  if (variable.shape) return variable.shape.length === 0 ? 'scalar' : variable.shape.join(' × ');
  if (variable.length !== null) return `len ${variable.length}`;
  return '';
}

export type MemoryLevel = 'ok' | 'warning' | 'critical';

/** How close the kernel is to its memory limit (always 'ok' without a limit). */
export function memoryLevel(memory: NonNullable<KernelResourcesState['memory']>): MemoryLevel {
  if (!memory.limitBytes) return 'ok';
  const share = memory.usedBytes / memory.limitBytes;
  return share >= 0.95 ? 'critical' : share >= MEMORY_WARNING_SHARE ? 'warning' : 'ok';
}

/** The sentence for a kernel that died of memory, naming the largest variables of the last refresh. */
export function outOfMemoryText(outOfMemory: NonNullable<KernelResourcesState['outOfMemory']>): string {
  const largest = outOfMemory.largest.filter((v) => v.size !== null);
  if (!largest.length) return 'The kernel ran out of memory. Its variables were not known at the last refresh.';
  return `The kernel ran out of memory. Largest variables at the last refresh: ${largest.map((v) => `${v.name} (${formatBytes(v.size!)})`).join(', ')}.`;
}
