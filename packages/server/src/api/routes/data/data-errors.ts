import { OptionsError } from '../../../options/options-error.js';
import { ProcessLogError } from '../../../process-log/process-log-error.js';
import { NagareError } from '../../errors.js';

/** The data services' refusals as API errors (the codes of docs/api.md); anything else is rethrown. */
export function toApiError(error: unknown): unknown {
  if (error instanceof OptionsError) {
    switch (error.code) {
      case 'INVALID_OPTIONS_XML':
        return new NagareError('NAGARE_INVALID_OPTIONS_XML', error.message, error.problems);
      case 'UNKNOWN_MASTER':
        return new NagareError('NAGARE_NOT_FOUND', error.message);
      case 'BAD_CURSOR':
        return new NagareError('NAGARE_INVALID_CURSOR', error.message);
      default:
        return new NagareError('NAGARE_BAD_REQUEST', error.message);
    }
  }
  if (error instanceof ProcessLogError) return new NagareError('NAGARE_BAD_REQUEST', error.message);
  return error;
}

/** Runs a service call, turning its refusals into API errors. */
export async function answer<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}
