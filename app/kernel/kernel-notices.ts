// The last thing that went wrong with a kernel request from this tab (a refused
// run, an unreachable bridge), kept until it is dismissed or a later request
// succeeds. Only this person sees it: what everyone must know (a dead kernel) is
// in the bridge's awareness state instead. "The kernel service cannot be
// reached" also ends when the bridge is heard from again (its state in the
// room came back), so it does not outlive the outage it reports.
import { ObservableValue } from '../hooks/observable-value';

export class KernelNotices extends ObservableValue<string | null> {
  /** The notice shown reports that the bridge could not be reached. */
  private unreachable = false;

  constructor() {
    super(null);
  }

  get message(): string | null {
    return this.value;
  }

  report(message: string, options: { bridgeUnreachable?: boolean } = {}): void {
    this.unreachable = options.bridgeUnreachable === true;
    this.set(message);
  }

  /** The bridge published a kernel state again: a notice that it could not be reached is stale. */
  bridgeHeardFrom(): void {
    if (this.unreachable) this.dismiss();
  }

  dismiss(): void {
    this.unreachable = false;
    this.set(null);
  }
}
