/**
 * A benchmark that measured something wrong must not print a number: every check failure
 * ends the process with `BENCHMARK FAILED: ...` and a non-zero exit, like the peer's bench.mjs.
 */
export class BenchmarkFailure extends Error {
  override readonly name = 'BenchmarkFailure';
}

export function fail(message: string): never {
  throw new BenchmarkFailure(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) fail(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** Prints the failure and exits 1; for the top level of a process. */
export function exitOnFailure(error: unknown): never {
  const message =
    error instanceof BenchmarkFailure
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`\nBENCHMARK FAILED: ${message}\n`);
  process.exit(1);
}

/** Progress goes to stderr so that stdout stays machine-readable. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
