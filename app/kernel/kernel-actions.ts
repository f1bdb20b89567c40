// What the run controls do: which cells a "Run above" means, restarting before
// "Restart & run all", clearing outputs. Requests go to the bridge; the results
// come back through the document and awareness, so nothing here waits for a cell
// to finish. Failures are reported to `KernelNotices` in words the person can
// act on, never thrown at the UI; each action resolves with whether it succeeded.
import * as Y from 'yjs';
import { cellIdOf, cellsOf, cellTypeOf, clearOutputs, findCell, indexOfCell } from '../../notebook-model';
import { API_ERROR } from '../../notebook-model/service-protocol';
import { KernelRequestError, type KernelClient } from './kernel-client';
import type { KernelNotices } from './kernel-notices';

export class KernelActions {
  constructor(
    private readonly doc: Y.Doc,
    private readonly client: KernelClient,
    private readonly notices: KernelNotices,
    /** The origin of this tab's own edits (clearing outputs is one, undoable like any other). */
    private readonly localOrigin: unknown,
  ) {}

  /** Runs these cells in this order; markdown and raw cells are left out (they only render). */
  run(cellIds: readonly string[]): Promise<boolean> {
    const code = cellIds.filter((id) => {
      const cell = findCell(this.doc, id);
      return cell !== undefined && cellTypeOf(cell) === 'code';
    });
    if (code.length === 0) return Promise.resolve(true);
    // The request goes straight to the bridge and may overtake the edits just made
    // (they travel through the collab server): it says which edits to wait for.
    return this.attempt(() => this.client.execute(code, Y.encodeStateVector(this.doc)));
  }

  runAll(): Promise<boolean> {
    return this.run(this.codeCellIds());
  }

  /** Every cell above this one (not the cell itself), as Jupyter's "Run all above". */
  runAbove(cellId: string): Promise<boolean> {
    const index = indexOfCell(this.doc, cellId);
    return this.run(index < 0 ? [] : this.codeCellIds().filter((id) => indexOfCell(this.doc, id) < index));
  }

  /** This cell and every cell below it. */
  runBelow(cellId: string): Promise<boolean> {
    const index = indexOfCell(this.doc, cellId);
    return this.run(index < 0 ? [] : this.codeCellIds().filter((id) => indexOfCell(this.doc, id) >= index));
  }

  interrupt(): Promise<boolean> {
    return this.attempt(() => this.client.interrupt());
  }

  restart(): Promise<boolean> {
    return this.attempt(() => this.client.restart());
  }

  /** Shuts the kernel down, freeing it for the person's (or the machine's) kernel limit. */
  shutdown(): Promise<boolean> {
    return this.attempt(() => this.client.shutdown());
  }

  /** Restarts (when a kernel exists), then queues every code cell top to bottom. */
  async restartAndRunAll(): Promise<boolean> {
    const restarted = await this.attempt(() => this.client.restart(), (err) => err.code === API_ERROR.kernelNotStarted);
    return restarted && this.runAll();
  }

  changeKernel(name: string): Promise<boolean> {
    return this.attempt(() => this.client.changeKernel(name));
  }

  answerInput(value: string): Promise<boolean> {
    return this.attempt(() => this.client.answerInput(value));
  }

  /** Clears every code cell's outputs and execution count in the shared document. */
  clearAllOutputs(): void {
    clearOutputs(this.doc, undefined, this.localOrigin);
  }

  private codeCellIds(): string[] {
    return cellsOf(this.doc).toArray().filter((cell) => cellTypeOf(cell) === 'code').map(cellIdOf);
  }

  /**
   * Runs a request; true when it succeeded (or failed in a way `harmless` accepts).
   * Any other failure is reported and gives false.
   */
  private async attempt(request: () => Promise<unknown>, harmless?: (err: KernelRequestError) => boolean): Promise<boolean> {
    try {
      await request();
      this.notices.dismiss();
      return true;
    } catch (err) {
      if (err instanceof KernelRequestError && harmless?.(err)) return true;
      // Status 0: no answer at all (kernel-client.ts), the bridge itself is out of reach.
      this.notices.report(err instanceof Error ? err.message : String(err), { bridgeUnreachable: err instanceof KernelRequestError && err.status === 0 });
      return false;
    }
  }
}
