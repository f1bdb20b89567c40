// Stdin routing for one notebook's kernel: at most one `input()` prompt waits at
// a time, and only the person who queued the running cell may answer it. A new
// prompt, the cell's end, an interrupt, a restart or the kernel's death cancels
// the one waiting (its promise rejects, which ends the kernel's input request).
import { KernelRefusal } from './kernel-refusal';

/** The prompt as collaborators see it (the awareness `inputRequest` field). */
export interface InputPromptView {
  cellId: string;
  prompt: string;
  password: boolean;
  forUserId: string;
}

interface Pending extends InputPromptView {
  resolve: (value: string) => void;
  reject: (err: Error) => void;
}

export class InputPrompt {
  private pending?: Pending;

  /** @param changed told whenever a prompt appears or goes, so the session can publish it. */
  constructor(private readonly changed: () => void) {}

  /** The waiting prompt, if any. */
  get view(): InputPromptView | undefined {
    const p = this.pending;
    return p && { cellId: p.cellId, prompt: p.prompt, password: p.password, forUserId: p.forUserId };
  }

  /** Waits for `forUserId`'s answer to the running cell's prompt (replacing any prompt still waiting). */
  ask(view: InputPromptView): Promise<string> {
    this.cancel('a new input was requested');
    return new Promise<string>((resolve, reject) => {
      this.pending = { ...view, resolve, reject };
      this.changed();
    });
  }

  /** Answers the waiting prompt; refuses when none waits or `userId` is not whom it asks. */
  answer(userId: string, value: string): void {
    const pending = this.pending;
    if (!pending) throw new KernelRefusal('no-input-pending', 'No cell is waiting for input.');
    if (pending.forUserId !== userId) throw new KernelRefusal('not-allowed', 'Only the person who ran this cell can answer its input prompt.');
    this.pending = undefined;
    this.changed();
    pending.resolve(value);
  }

  /** Drops the waiting prompt, if any (its promise rejects with `reason`). */
  cancel(reason: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    pending.reject(new Error(`input cancelled: ${reason}`));
  }
}
