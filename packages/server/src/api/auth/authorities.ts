import type { Kysely } from 'kysely';
import { hasAppAuthority, hasSystemAuthority, type SystemAuthority } from '../../identity/authorities.js';
import type { AppAuthority } from '../../identity/directory.js';
import type { Database } from '../../store/schema.js';
import { Forbidden, type Principal } from './principal.js';

export { hasAppAuthority, hasSystemAuthority, type SystemAuthority };

const LABELS: Record<SystemAuthority | AppAuthority, string> = {
  systemAdministrator: 'system administrator',
  appCreator: 'App creator',
  userManager: 'user manager',
  appAdministrator: 'App administrator',
  processManager: 'process manager',
  dataViewer: 'data viewer',
};

/** 403 NAGARE_FORBIDDEN unless the principal holds the system authority (a system administrator holds all). */
export async function requireSystemAuthority(
  db: Kysely<Database>,
  principal: Principal,
  authority: SystemAuthority,
): Promise<void> {
  if (!(await hasSystemAuthority(db, principal, authority))) {
    throw new Forbidden(`Only a ${LABELS[authority]} may do this`);
  }
}

/** 403 NAGARE_FORBIDDEN unless the principal holds the App authority on the App. */
export async function requireAppAuthority(
  db: Kysely<Database>,
  principal: Principal,
  appId: string,
  authority: AppAuthority,
): Promise<void> {
  if (!(await hasAppAuthority(db, principal, appId, authority))) {
    throw new Forbidden(`Only a ${LABELS[authority]} of App "${appId}" may do this`);
  }
}
