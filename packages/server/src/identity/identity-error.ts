/**
 * What the identity store refuses, by kind: the API turns `notFound` into 404, `conflict` into
 * 409 and `invalid` into 400, with the message as is (it names the field and the value).
 */
export type IdentityErrorKind = 'notFound' | 'conflict' | 'invalid';

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  readonly kind: IdentityErrorKind;

  constructor(kind: IdentityErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export const notFound = (what: string, id: string): IdentityError =>
  new IdentityError('notFound', `No ${what} with id "${id}"`);
