// Pings the kernel's heartbeat socket (a ZeroMQ echo) every interval and reports
// once `maxMissed` pings in a row went unanswered.
//
// Invariants: at most one ping is outstanding; the REQ socket is "relaxed" so a
// lost reply does not wedge it; `stop()` closes the socket and ends the loop.
import { Request } from 'zeromq';

export interface HeartbeatOptions {
  intervalMs?: number;
  maxMissed?: number;
  onFlatline: (missed: number) => void;
}

export class HeartbeatMonitor {
  private readonly socket: Request;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(url: string, private readonly options: HeartbeatOptions) {
    const intervalMs = options.intervalMs ?? 1000;
    this.socket = new Request({ linger: 0, relaxed: true, correlate: true, receiveTimeout: intervalMs });
    this.socket.connect(url);
    void this.run(intervalMs, options.maxMissed ?? 5);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private async run(intervalMs: number, maxMissed: number): Promise<void> {
    let missed = 0;
    const ping = Buffer.from('ping');
    while (!this.stopped) {
      const started = Date.now();
      try {
        await this.socket.send(ping);
        await this.socket.receive();
        missed = 0;
      } catch {
        if (this.stopped) return;
        missed += 1;
        if (missed >= maxMissed) {
          this.stop();
          this.options.onFlatline(missed);
          return;
        }
      }
      const rest = intervalMs - (Date.now() - started);
      if (rest > 0) await this.sleep(rest);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    this.socket.close();
  }
}
