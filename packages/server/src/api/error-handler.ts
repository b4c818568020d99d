import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import {
  BadRequest,
  type FieldProblem,
  Internal,
  InvalidJson,
  InvalidRequest,
  MethodNotAllowed,
  NagareError,
  PayloadTooLarge,
  RouteNotFound,
  UnsupportedMediaType,
} from './errors.js';

const METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The one place errors become responses: every error, thrown by us, by Fastify (validation,
 * body parsing) or by a bug, leaves as `{ error: { code, message, details? } }`.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const nagareError = toNagareError(error, request);
    if (nagareError.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return send(reply, nagareError);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = METHODS.filter(
      (method) => method !== request.method && app.findRoute({ method, url: path }) !== null,
    );
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return send(reply, new MethodNotAllowed(request.method, path, allowed));
    }
    return send(reply, new RouteNotFound(request.method, path));
  });
}

function send(reply: FastifyReply, error: NagareError): FastifyReply {
  return reply.status(error.statusCode).type('application/json; charset=utf-8').send(error.toBody());
}

function toNagareError(error: FastifyError, request: FastifyRequest): NagareError {
  if (error instanceof NagareError) return error;
  if (error.validation) return new InvalidRequest(fieldProblems(error));
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new InvalidJson(error.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType(request.headers['content-type'] ?? '(none)');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new BadRequest(error.message);
  return new Internal();
}

/** Names each failed field as `<part>.<path>`, e.g. `querystring.timeoutMs`, `body.data.amount`. */
function fieldProblems(error: FastifyError): FieldProblem[] {
  const part = error.validationContext ?? 'request';
  return (error.validation ?? []).map((issue) => {
    const segments = issue.instancePath.split('/').filter((segment) => segment !== '');
    const missing = issue.params.missingProperty;
    if (typeof missing === 'string') segments.push(missing.replace(/^\./, ''));
    const field = [part, ...segments].join('.');
    return { field, message: issue.message ?? 'is invalid' };
  });
}
