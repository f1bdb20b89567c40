// The ways the kernel side refuses a request, as one typed error with a code.
// The session, the registry and the quota throw it with a message written for
// the person who asked; only the HTTP layer (http-api.ts) decides which HTTP
// status and API error code each code stands for.

export type KernelRefusalCode =
  /** The notebook has no running kernel (run a cell to start one). */
  | 'kernel-not-started'
  /** The kernel died; it must be restarted before cells run again. */
  | 'kernel-dead'
  /** The session was shut down while the request was on its way. */
  | 'session-closed'
  /** The requester's edits have not reached the bridge's replica in time. */
  | 'edits-not-arrived'
  /** Some of the cells asked for are not in the notebook (`details.unknownCellIds`). */
  | 'unknown-cells'
  /** No cell is waiting for input. */
  | 'no-input-pending'
  /** Someone other than the cell's requester answered its input prompt. */
  | 'not-allowed'
  /** The kernelspec asked for by name is not installed (`details.installed`). */
  | 'no-such-kernelspec'
  /** The notebook's own kernelspec is not installed (`details.installed`). */
  | 'notebook-kernelspec-missing'
  /** No kernelspec is installed at all. */
  | 'no-kernel-installed'
  /** The kernel's process could not be started. */
  | 'kernel-start-failed'
  /** The person or the machine has as many kernels as allowed (KernelLimitError). */
  | 'kernel-limit';

export class KernelRefusal extends Error {
  constructor(
    readonly code: KernelRefusalCode,
    message: string,
    /** Extra JSON fields for a reply (e.g. `unknownCellIds`, `installed`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KernelRefusal';
  }
}
