/**
 * HTTP API of add-ons (docs/addons.md): a system administrator imports an Add-on XML as the
 * next version of an id; anyone signed in to the Workspace lists the add-ons, reads one's
 * definition (its configs are the settings form the modeler draws for an add-on step) and
 * exports its XML exactly as imported. Bad XML is refused with its code and line in `details`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { requireSystemAuthority } from '../api/auth/authorities.js';
import { requirePrincipal } from '../api/auth/principal.js';
import { ErrorBody, NagareError } from '../api/errors.js';
import type { Store } from '../store/database.js';
import {
  AddonError,
  addonVersions,
  exportAddon,
  getAddon,
  importAddon,
  listAddons,
  type StoredAddon,
} from './addon-store.js';
import { MAX_ADDON_BYTES } from './addon-xml.js';

export interface AddonRoutesOptions {
  readonly store: Store;
}

const tags = ['add-ons'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const IdParams = Type.Object({ addonId: Type.String({ minLength: 1, maxLength: 100 }) });
const VersionParams = Type.Object({
  addonId: Type.String({ minLength: 1, maxLength: 100 }),
  version: Type.Integer({ minimum: 1 }),
});
const Config = Type.Object(
  {
    name: Type.String(),
    formType: Type.String(),
    required: Type.Boolean(),
    label: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    selectDataTypes: Type.Optional(Type.Array(Type.String())),
    elEnabled: Type.Boolean(),
    editable: Type.Boolean(),
    dependsOn: Type.Optional(Type.String()),
    authType: Type.Optional(Type.String()),
    oauth2SettingName: Type.Optional(Type.String()),
    deprecated: Type.Boolean(),
    items: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.String() }))),
    tab: Type.Optional(Type.String()),
  },
  { title: 'AddonConfig' },
);
const AddonView = Type.Object(
  {
    addonId: Type.String(),
    version: Type.Integer(),
    type: Type.String({ description: 'SERVICE_TASK, START_EVENT, START_EVENT_TIMER, START_EVENT_WEBHOOK' }),
    label: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    summary: Type.Optional(Type.String()),
    helpPageUrl: Type.Optional(Type.String()),
    addonVersion: Type.Optional(Type.Integer()),
    engineType: Type.Optional(Type.Integer()),
    deprecated: Type.Boolean(),
    sha256: Type.String(),
    createdAt: Type.String(),
    configs: Type.Array(Config, { description: "The step's settings form" }),
  },
  { title: 'Addon' },
);
const ImportBody = Type.Object(
  { xml: Type.String({ minLength: 1, maxLength: MAX_ADDON_BYTES }) },
  { title: 'AddonImport', additionalProperties: false },
);

function view(a: StoredAddon): Static<typeof AddonView> {
  const d = a.definition;
  return {
    addonId: a.addonId,
    version: a.version,
    type: a.type,
    label: a.label,
    labels: { ...d.labels },
    ...(d.summary === undefined ? {} : { summary: d.summary }),
    ...(d.helpPageUrl === undefined ? {} : { helpPageUrl: d.helpPageUrl }),
    ...(d.addonVersion === undefined ? {} : { addonVersion: d.addonVersion }),
    ...(d.engineType === undefined ? {} : { engineType: d.engineType }),
    deprecated: d.deprecated,
    sha256: a.sha256,
    createdAt: a.createdAt,
    // the stored definition is plain JSON; a copy drops its readonly types
    configs: JSON.parse(JSON.stringify(d.configs)) as Static<typeof Config>[],
  };
}

function toApiError(error: unknown): unknown {
  if (error instanceof AddonError) {
    if (error.code === 'ADDON_NOT_FOUND') return new NagareError('NAGARE_NOT_FOUND', error.message);
    const where = error.line === undefined ? '' : ` (line ${error.line})`;
    return new NagareError('NAGARE_BAD_REQUEST', `${error.code}: ${error.message}${where}`, {
      code: error.code,
      ...(error.line === undefined ? {} : { line: error.line }),
    });
  }
  return error;
}

export const addonRoutes: FastifyPluginAsyncTypebox<AddonRoutesOptions> = async (app, options) => {
  const db = options.store.db;
  app.setErrorHandler((error) => {
    throw toApiError(error);
  });
  const notFound = (id: string, version?: number) =>
    new NagareError(
      'NAGARE_NOT_FOUND',
      `no add-on "${id}"${version === undefined ? '' : ` version ${version}`}`,
    );

  app.get(
    '/api/addons',
    {
      schema: {
        summary: "The Workspace's add-ons (latest versions)",
        tags,
        response: { 200: Type.Array(AddonView), ...errors },
      },
    },
    async (request) => (await listAddons(db, requirePrincipal(request).workspaceId)).map(view),
  );

  app.get(
    '/api/addons/:addonId',
    {
      schema: {
        summary: "An add-on's latest version",
        tags,
        params: IdParams,
        response: { 200: AddonView, ...errors },
      },
    },
    async (request) => {
      const found = await getAddon(db, requirePrincipal(request).workspaceId, request.params.addonId);
      if (!found) throw notFound(request.params.addonId);
      return view(found);
    },
  );

  app.get(
    '/api/addons/:addonId/versions',
    {
      schema: {
        summary: 'Every version of an add-on, oldest first',
        tags,
        params: IdParams,
        response: { 200: Type.Array(AddonView), ...errors },
      },
    },
    async (request) => {
      const all = await addonVersions(db, requirePrincipal(request).workspaceId, request.params.addonId);
      if (all.length === 0) throw notFound(request.params.addonId);
      return all.map(view);
    },
  );

  app.get(
    '/api/addons/:addonId/versions/:version/xml',
    {
      schema: {
        summary: 'Export one version: the XML exactly as imported',
        tags,
        params: VersionParams,
        produces: ['application/xml'],
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const { addonId, version } = request.params;
      const xml = await exportAddon(db, requirePrincipal(request).workspaceId, addonId, version);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${addonId}.xml"`)
        .send(xml);
    },
  );

  app.put(
    '/api/addons/:addonId',
    {
      bodyLimit: MAX_ADDON_BYTES * 2,
      schema: {
        summary: 'Import an Add-on XML as the next version of this id (system administrators)',
        tags,
        params: IdParams,
        body: ImportBody,
        response: { 200: AddonView, ...errors },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      await requireSystemAuthority(db, p, 'systemAdministrator');
      const stored = await importAddon(db, {
        workspaceId: p.workspaceId,
        addonId: request.params.addonId,
        xml: request.body.xml,
      });
      return view(stored);
    },
  );
};
