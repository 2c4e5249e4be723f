// Upstream's CPULoad: while adServiceHighCpu is on, keep the CPU busy. Here a
// timer burns most of every 100 ms tick on the service's own thread, so
// request latency suffers as it would under a real CPU hog.
export class CpuLoad {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly busyMs = 80,
    private readonly periodMs = 100,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  execute(on: boolean): void {
    if (on && !this.timer) {
      this.timer = setInterval(() => this.burn(), this.periodMs);
      this.timer.unref();
    } else if (!on && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private burn(): void {
    const end = performance.now() + this.busyMs;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1);
    if (x < 0) console.log(x); // keeps the loop from being optimised away
  }
}
