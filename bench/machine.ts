/** The machine a run was on, for the report: figures are only comparable on the same machine. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  readonly date: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  /** 1-minute load average when the run started: other work on the machine makes numbers noisy. */
  readonly loadAvg1: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    loadAvg1: Number(os.loadavg()[0]!.toFixed(2)),
  };
}
