// Which notebooks' rooms this bridge has joined, kept on disk so that the next
// bridge process knows where a killed or crashed one (kill -9, out of memory,
// power loss) may have left cells marked running or queued. A clean exit leaves
// the list empty (every session is closed, and closing forgets it).
//
// One empty file per notebook under `<kernelsDir>/.joined/`, named by the
// notebook id in base64url (a notebook's working folder never starts with a
// dot, so the two cannot meet). Best effort: a write that fails costs only the
// start-up sweep for that notebook; the session's own reset on first use
// (kernel-session.ts) still applies.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class JoinedNotebooks {
  private readonly dir: string;

  constructor(kernelsDir: string) {
    this.dir = join(kernelsDir, '.joined');
  }

  /** Records that the bridge joined `notebookId`'s room. */
  add(notebookId: string): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(this.fileOf(notebookId), '');
    } catch (err) {
      console.error(`kernel bridge: could not record joining notebook ${notebookId}: ${(err as Error).message}`);
    }
  }

  /** Forgets `notebookId` (its session closed cleanly). */
  remove(notebookId: string): void {
    rmSync(this.fileOf(notebookId), { force: true });
  }

  /** The notebooks joined and not left cleanly, by this process or an earlier one. */
  list(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.map((name) => Buffer.from(name, 'base64url').toString('utf8')).filter(Boolean);
  }

  private fileOf(notebookId: string): string {
    return join(this.dir, Buffer.from(notebookId, 'utf8').toString('base64url'));
  }
}
