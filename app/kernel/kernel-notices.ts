// The last thing that went wrong with a kernel request from this tab (a refused
// run, an unreachable bridge), kept until it is dismissed or a later request
// succeeds. Only this person sees it: what everyone must know (a dead kernel) is
// in the bridge's awareness state instead.
import { ObservableValue } from '../hooks/observable-value';

export class KernelNotices extends ObservableValue<string | null> {
  constructor() {
    super(null);
  }

  get message(): string | null {
    return this.value;
  }

  report(message: string): void {
    this.set(message);
  }

  dismiss(): void {
    this.set(null);
  }
}
