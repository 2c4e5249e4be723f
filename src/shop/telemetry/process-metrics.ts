// Process CPU and memory gauges under the semantic-convention names
// (process.cpu.time, process.cpu.utilization, process.memory.usage). Our own
// instead of @opentelemetry/host-metrics: that package pulls in
// systeminformation, and twelve processes share a 700 MB budget.
import os from 'node:os';
import type { Meter } from '@opentelemetry/api';

interface CpuSample {
  readonly user: number;
  readonly system: number;
  readonly at: number;
}

/** CPU utilisation per mode between two samples, as a fraction of all CPUs. */
export function cpuUtilization(
  prev: CpuSample,
  next: CpuSample,
  cpus: number,
): { user: number; system: number } {
  const elapsedUs = (next.at - prev.at) * 1000 * Math.max(1, cpus);
  if (elapsedUs <= 0) return { user: 0, system: 0 };
  return {
    user: Math.max(0, (next.user - prev.user) / elapsedUs),
    system: Math.max(0, (next.system - prev.system) / elapsedUs),
  };
}

function sample(): CpuSample {
  const u = process.cpuUsage();
  return { user: u.user, system: u.system, at: performance.now() };
}

export function registerProcessMetrics(meter: Meter): void {
  const cpus =
    typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  let last = sample();

  meter
    .createObservableCounter('process.cpu.time', {
      unit: 's',
      description: 'Total CPU seconds broken down by different CPU modes.',
    })
    .addCallback((r) => {
      const u = process.cpuUsage();
      r.observe(u.user / 1e6, { 'cpu.mode': 'user' });
      r.observe(u.system / 1e6, { 'cpu.mode': 'system' });
    });

  meter
    .createObservableGauge('process.cpu.utilization', {
      unit: '1',
      description:
        'Difference in process.cpu.time since the last measurement, divided by the elapsed time and number of CPUs available to the process.',
    })
    .addCallback((r) => {
      const now = sample();
      const u = cpuUtilization(last, now, cpus);
      last = now;
      r.observe(u.user, { 'cpu.mode': 'user' });
      r.observe(u.system, { 'cpu.mode': 'system' });
    });

  meter
    .createObservableUpDownCounter('process.memory.usage', {
      unit: 'By',
      description: 'The amount of physical memory in use (RSS).',
    })
    .addCallback((r) => r.observe(process.memoryUsage.rss()));
}
