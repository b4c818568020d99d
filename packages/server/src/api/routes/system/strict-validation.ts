import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { FastifyValidationResult } from 'fastify/types/schema.js';

interface Problem {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * Schema checks without silent repairs, for this plugin's routes: a body field of the wrong type
 * or one the schema does not know is refused (the app-wide Ajv would coerce `5` to `"5"` and drop
 * unknown fields). Path and query strings are still converted (`limit=2` is the integer 2),
 * because there everything arrives as text. Problems are reported like Ajv's, so the app's
 * error handler names each field (`body.email`).
 */
export function installStrictValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const typed = schema as TSchema;
    const checker = TypeCompiler.Compile(typed);
    const validate = ((data: unknown) => {
      const value = httpPart === 'body' ? data : Value.Convert(typed, data ?? {});
      if (checker.Check(value)) return { value };
      const seen = new Set<string>();
      const problems: Problem[] = [];
      for (const e of checker.Errors(value)) {
        if (seen.has(e.path)) continue;
        seen.add(e.path);
        problems.push({
          keyword: 'typebox',
          schemaPath: '#',
          instancePath: e.path,
          message: e.message.replace(/^Expected/, 'must be'),
          params: {},
        });
        if (problems.length === 10) break;
      }
      validate.errors = problems;
      return false;
    }) as FastifyValidationResult;
    return validate;
  });
}
