/** Loads and compiles a model of bench/models/ once per process, like a deployed App version. */
import { readFileSync } from 'node:fs';
import { type CompiledApp, compile, formatCompileProblem } from '@nagare/engine';
import { fail } from './fail.ts';

export async function loadApp(file: string): Promise<CompiledApp> {
  const xml = readFileSync(new URL(`./models/${file}`, import.meta.url), 'utf8');
  let app: CompiledApp;
  try {
    app = await compile(xml);
  } catch (error) {
    fail(`${file} does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (app.warnings.length > 0)
    fail(`${file}: compile warnings: ${app.warnings.map(formatCompileProblem).join('; ')}`);
  return app;
}
