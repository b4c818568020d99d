import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DEFAULT_MAX_OPTIONS_BYTES } from '@nagare/engine';
import { Type } from '@sinclair/typebox';
import type { OptionsService } from '../../../options/options-service.js';
import { MAX_CHOICES_LIMIT, MAX_QUERY_LENGTH } from '../../../options/search-select.js';
import type { Store } from '../../../store/database.js';
import { requireSystemAuthority } from '../../auth/authorities.js';
import { requirePrincipal } from '../../auth/principal.js';
import { ErrorBody } from '../../errors.js';
import { answer } from './data-errors.js';

const MasterInfo = Type.Object(
  {
    name: Type.String(),
    version: Type.Integer({ description: '1 on the first import, +1 on each replacement' }),
    itemCount: Type.Integer(),
    sha256: Type.String({ description: 'Hex SHA-256 of the XML last imported' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'OptionsMaster' },
);

const MasterParams = Type.Object({
  master: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'The master name, e.g. jp-postal-codes.xml',
  }),
});

const ChoicesQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: MAX_QUERY_LENGTH, description: 'Label contains it, or id starts with it' }),
  ),
  parentId: Type.Optional(
    Type.String({
      maxLength: MAX_QUERY_LENGTH,
      description: "Dependent select: ids starting with the parent's id",
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CHOICES_LIMIT, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: "The previous page's nextCursor" })),
});

const ChoicesPage = Type.Object(
  {
    master: Type.String(),
    version: Type.Integer(),
    choices: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
    nextCursor: Type.Optional(Type.String({ description: 'Present when more matches follow' })),
  },
  { title: 'ChoicesPage' },
);

export interface OptionsRoutesOptions {
  readonly store: Store;
  readonly options: OptionsService;
}

/**
 * Options masters: PUT replaces a master whole from its XML (App creators and system
 * administrators), GET lists them and answers search-select lookups (any signed-in user of
 * the Workspace: forms need them). Everything is scoped by the caller's Workspace.
 */
export const optionsRoutes: FastifyPluginAsyncTypebox<OptionsRoutesOptions> = async (
  app,
  { store, options },
) => {
  // The XML body as text, up to the options limit (the postal-code master is 11.6 MB).
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: DEFAULT_MAX_OPTIONS_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.put(
    '/api/options/:master',
    {
      bodyLimit: DEFAULT_MAX_OPTIONS_BYTES,
      schema: {
        summary: 'Import an options master (replaces its items whole)',
        description:
          'Body: the options XML (`<items><item value display/></items>`, UTF-8) as application/xml or text/xml. A file with problems changes nothing and is answered NAGARE_INVALID_OPTIONS_XML with each problem and its line.',
        tags: ['data'],
        params: MasterParams,
        response: {
          200: MasterInfo,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await requireSystemAuthority(store.db, principal, 'appCreator');
      const xml = typeof request.body === 'string' ? request.body : '';
      return answer(() => options.import(principal.workspaceId, request.params.master, xml));
    },
  );

  app.get(
    '/api/options',
    {
      schema: {
        summary: "The Workspace's options masters",
        tags: ['data'],
        response: { 200: Type.Object({ masters: Type.Array(MasterInfo) }), 401: ErrorBody },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return { masters: await options.list(principal.workspaceId) };
    },
  );

  app.get(
    '/api/options/:master/choices',
    {
      schema: {
        summary: 'Search-select lookup in an options master',
        description:
          'Choices in master order whose label contains `q` or whose id starts with it (case-insensitive, NFKC), only ids starting with `parentId` when given; pages of `limit` with `cursor` (at most the first 10,000 matches).',
        tags: ['data'],
        params: MasterParams,
        querystring: ChoicesQuery,
        response: { 200: ChoicesPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { q, parentId, limit, cursor } = request.query;
      const page = await answer(() =>
        options.choices(principal.workspaceId, request.params.master, { q, parentId, limit, cursor }),
      );
      return { ...page, choices: [...page.choices] };
    },
  );
};
