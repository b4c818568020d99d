import { expectPositionals, parseCommandArgs } from '../args.js';
import { EXIT } from '../usage-error.js';

const HELP = `Usage: nagare migrate [--data-dir ./data]

Applies pending database migrations and exits. "nagare serve" does the same at start; run this
alone to migrate before a rolling start of several nodes. Uses DATABASE_URL when set.
`;

export async function migrate(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('migrate', args, { 'data-dir': { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  expectPositionals('migrate', positionals, []);
  const { openMigratedStore } = await import('../open-store.js');
  const { store, report } = await openMigratedStore(values['data-dir']);
  try {
    const where = `${store.dialect} ${store.location}`;
    if (report.applied.length === 0) {
      process.stdout.write(`${where}: already up to date\n`);
    } else {
      for (const name of report.applied) process.stdout.write(`${where}: applied ${name}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
