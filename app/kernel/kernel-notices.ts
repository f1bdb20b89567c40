// The last thing that went wrong with a kernel request from this tab (a refused
// run, an unreachable bridge), kept until it is dismissed or a later request
// succeeds. Only this person sees it: what everyone must know (a dead kernel) is
// in the bridge's awareness state instead.

export class KernelNotices {
  private current: string | null = null;
  private readonly listeners = new Set<() => void>();

  get message(): string | null {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  report(message: string): void {
    this.set(message);
  }

  dismiss(): void {
    this.set(null);
  }

  private set(message: string | null): void {
    if (message === this.current) return;
    this.current = message;
    for (const listener of [...this.listeners]) listener();
  }
}
