import type { FastifyInstance } from 'fastify';
import { IdentityError } from '../../../identity/identity-error.js';
import { BadRequest, NagareError } from '../../errors.js';

/** The API error for an identity store refusal: 404, 409 or 400 with the store's message. */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof IdentityError)) return error;
  switch (error.kind) {
    case 'notFound':
      return new NagareError('NAGARE_NOT_FOUND', error.message);
    case 'conflict':
      return new NagareError('NAGARE_CONFLICT', error.message);
    case 'invalid':
      return new BadRequest(error.message);
  }
}

/**
 * In this plugin's routes, identity refusals become coded API errors; everything else goes on
 * to the app's one error handler (a handler that throws hands the error to its parent's).
 */
export function mapIdentityErrors(app: FastifyInstance): void {
  app.setErrorHandler((error) => {
    throw toApiError(error);
  });
}
