import { OptionsError } from './options-error.js';

/** Names as the product's options files are named (`jp-postal-codes.xml`, `customers_2026`). */
const MASTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkMasterName(name: string): string {
  if (typeof name !== 'string' || !MASTER_NAME.test(name)) {
    throw new OptionsError(
      'BAD_MASTER_NAME',
      `an options master name is 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${JSON.stringify(name)}`,
    );
  }
  return name;
}
