// What a notebook's kernel holds, for everyone in the notebook: its user
// variables (refreshed after each batch of runs, kernel-bridge/variables.ts)
// and the memory it uses (sampled while it lives), published in the bridge's
// awareness under `kernelResources` (notebook-model/service-protocol.ts). When
// the kernel dies of memory, the variables that were largest at the last
// refresh are kept in `outOfMemory`, so the message can say what filled it.
//
// The session calls four hooks: `kernelStarted`, `refresh` (after its queue
// drains), `kernelDied` and `stop`; everything else happens here.
import { kernelResourcesKey, type KernelResourcesState, type KernelVariable } from '../notebook-model/service-protocol';
import { isOutOfMemoryReason } from './kernel-memory-limit';
import type { VariablesReport } from './variables';

/** How often the kernel's memory is read while it lives. */
export const MEMORY_SAMPLE_MS = 2_000;
/** A new reading is published when it differs from the last by more than this share (or 1 MiB). */
const MEMORY_CHANGE_SHARE = 0.02;
/** How many of the largest variables an out-of-memory message names. */
const LARGEST_NAMED = 5;

/** What this needs of a started kernel (a SessionKernel). */
export interface InspectableKernel {
  describeVariables?(): Promise<VariablesReport>;
  memoryInUse?(): Promise<number | null>;
  /** The memory ceiling (KERNEL_MEMORY_LIMIT_MB) in bytes, when there is one. */
  readonly memoryLimitBytes?: number;
}

export class KernelResources {
  private state: KernelResourcesState = { variables: { state: 'unavailable', reason: 'No kernel is running yet.' } };
  private lastList: KernelVariable[] = [];
  private sampler?: NodeJS.Timeout;
  private kernel?: InspectableKernel;
  /** Bumped by every start and death, so an answer from an earlier kernel is dropped. */
  private generation = 0;

  constructor(private readonly publishField: (key: string, value: unknown) => void) {}

  /** The current published state (also for tests). */
  get current(): KernelResourcesState {
    return this.state;
  }

  /** A kernel started or restarted: no variables yet; its memory is sampled from now on. */
  kernelStarted(kernel: InspectableKernel, language: string | undefined): void {
    this.generation++;
    this.kernel = kernel;
    this.lastList = [];
    this.state = { variables: this.noVariables(language, 'No cell has run in this kernel yet.') };
    this.publish();
    this.startSampling();
  }

  /** Reads the variables again (after a run); failures are published as the reason, never thrown. */
  async refresh(kernel: InspectableKernel, language: string | undefined): Promise<VariablesReport | null> {
    const generation = this.generation;
    if (!isPython(language) || !kernel.describeVariables) {
      this.state = { ...this.state, variables: this.noVariables(language, 'This kernel cannot describe its variables.') };
      this.publish();
      return null;
    }
    let report: VariablesReport | null = null;
    let variables: KernelResourcesState['variables'];
    try {
      report = await kernel.describeVariables();
      variables = { state: 'ok', at: Date.now(), total: report.total, list: report.list };
      this.lastList = report.list;
    } catch (err) {
      variables = { state: 'unavailable', reason: `Variables could not be read: ${(err as Error).message}`.slice(0, 300) };
    }
    if (generation !== this.generation) return null;
    this.state = { ...this.state, variables };
    this.publish();
    void this.sampleMemory();
    return report;
  }

  /** The kernel died: sampling stops; a death of memory names the largest variables of the last refresh. */
  kernelDied(reason: string): void {
    this.generation++;
    this.stopSampling();
    const outOfMemory = isOutOfMemoryReason(reason)
      ? { at: Date.now(), largest: this.lastList.slice(0, LARGEST_NAMED) }
      : undefined;
    this.state = {
      variables: { state: 'unavailable', reason: 'The kernel died; its variables are gone.' },
      ...(outOfMemory ? { outOfMemory } : {}),
    };
    this.publish();
  }

  /** The session is over. */
  stop(): void {
    this.generation++;
    this.stopSampling();
    this.kernel = undefined;
  }

  private noVariables(language: string | undefined, pythonReason: string): KernelResourcesState['variables'] {
    return {
      state: 'unavailable',
      reason: isPython(language) ? pythonReason : `The variables panel is not available for ${language ? `${language} ` : 'this '}kernels (Python only).`.slice(0, 300),
    };
  }

  private startSampling(): void {
    this.stopSampling();
    void this.sampleMemory();
    this.sampler = setInterval(() => void this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.sampler.unref();
  }

  private stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
  }

  private async sampleMemory(): Promise<void> {
    const kernel = this.kernel;
    const generation = this.generation;
    if (!kernel?.memoryInUse) return;
    let used: number | null;
    try {
      used = await kernel.memoryInUse();
    } catch {
      used = null;
    }
    if (used === null || generation !== this.generation || this.kernel !== kernel) return;
    const last = this.state.memory?.usedBytes;
    if (last !== undefined && Math.abs(used - last) <= Math.max(1024 * 1024, last * MEMORY_CHANGE_SHARE)) return;
    const limitBytes = kernel.memoryLimitBytes;
    this.state = { ...this.state, memory: { usedBytes: Math.round(used), at: Date.now(), ...(limitBytes ? { limitBytes } : {}) } };
    this.publish();
  }

  private publish(): void {
    try {
      this.publishField(kernelResourcesKey, JSON.parse(JSON.stringify(this.state)));
    } catch {
      // the room is gone; the next session publishes afresh
    }
  }
}

function isPython(language: string | undefined): boolean {
  return (language ?? '').toLowerCase() === 'python';
}
