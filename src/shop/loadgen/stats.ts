// Counts what the users did, for a periodic one-line summary.

import type { RequestResult } from './client';

export class LoadStats {
  private requests = 0;
  private failed = 0;
  private readonly byStatus = new Map<number, number>();
  private lastError: string | undefined;

  record(r: RequestResult): void {
    this.requests += 1;
    if (r.status === 0 || r.status >= 500) this.failed += 1;
    this.byStatus.set(r.status, (this.byStatus.get(r.status) ?? 0) + 1);
    if (r.error !== undefined) this.lastError = `${r.method} ${r.path}: ${r.error}`;
  }

  /** The summary since the last call, then starts counting afresh. */
  drain(users: number, seconds: number): string {
    const statuses = [...this.byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s === 0 ? 'no answer' : s}:${n}`)
      .join(' ');
    const line =
      `${users} users, ${this.requests} requests in ${seconds} s (${this.failed} failed)` +
      (statuses === '' ? '' : `, by status ${statuses}`) +
      (this.lastError === undefined ? '' : `; last error ${this.lastError}`);
    this.requests = 0;
    this.failed = 0;
    this.byStatus.clear();
    this.lastError = undefined;
    return line;
  }
}
