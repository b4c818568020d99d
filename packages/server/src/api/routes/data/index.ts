import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OptionsService } from '../../../options/options-service.js';
import { ProcessLog } from '../../../process-log/process-log.js';
import type { Store } from '../../../store/database.js';
import { optionsRoutes } from './options-routes.js';
import { processLogRoutes } from './process-log-routes.js';

export interface DataRoutesOptions {
  readonly store: Store;
  /** Shared with other users of the masters (form validation); made here when not given. */
  readonly options?: OptionsService;
}

/** Options masters and the process log (docs/data-items.md, docs/api.md). */
export const dataRoutes: FastifyPluginAsyncTypebox<DataRoutesOptions> = async (app, { store, options }) => {
  await app.register(optionsRoutes, { store, options: options ?? new OptionsService(store) });
  await app.register(processLogRoutes, { store, log: new ProcessLog(store) });
};
