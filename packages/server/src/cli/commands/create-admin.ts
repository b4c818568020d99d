import { expectPositionals, parseCommandArgs } from '../args.js';
import { EXIT, UsageError } from '../usage-error.js';

const PASSWORD_ENV = 'NAGARE_ADMIN_PASSWORD';

const HELP = `Usage: nagare create-admin --email <address> --name <name> [--workspace default] [--data-dir ./data]

Creates the first system administrator of a workspace, who can then sign in and add everyone
else (the API and the web app need a signed-in user). Refused once the workspace has one.
The password is read from ${PASSWORD_ENV} (not the command line, which other users can see).
Uses DATABASE_URL when set.
`;

export async function createAdmin(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('create-admin', args, {
    email: { type: 'string' },
    name: { type: 'string' },
    workspace: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  expectPositionals('create-admin', positionals, []);
  const email = values.email?.trim();
  const name = values.name?.trim();
  if (!email) throw new UsageError('create-admin: --email is required');
  if (!name) throw new UsageError('create-admin: --name is required');
  const password = process.env[PASSWORD_ENV];
  if (!password) throw new UsageError(`create-admin: set the password in ${PASSWORD_ENV}`);
  const workspace = values.workspace ?? 'default';

  const [{ openMigratedStore }, { bootstrapAdministrator }, { IdentityError }] = await Promise.all([
    import('../open-store.js'),
    import('../../identity/bootstrap.js'),
    import('../../identity/identity-error.js'),
  ]);
  const { store } = await openMigratedStore(values['data-dir']);
  try {
    const user = await bootstrapAdministrator(store.db, workspace, { name, email, password });
    process.stdout.write(
      `created system administrator ${user.email} (${user.id}) in workspace "${workspace}"\n`,
    );
    return EXIT.ok;
  } catch (error) {
    // Bad input (an address or password the identity rules refuse) is a usage error; the rest fails.
    if (error instanceof IdentityError) {
      if (error.kind === 'invalid') throw new UsageError(`create-admin: ${error.message}`);
      throw new Error(`create-admin: ${error.message}`);
    }
    throw error;
  } finally {
    await store.close();
  }
}
