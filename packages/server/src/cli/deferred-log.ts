import type { FastifyBaseLogger } from 'fastify';

/**
 * A logger for what is built before the HTTP app (the runtime, its connectors): calls made
 * before `bind` are kept and written through the app's logger once it exists, so the runtime
 * can be handed to the app and still log through it.
 */
export function deferredLogger(): { log: FastifyBaseLogger; bind(target: FastifyBaseLogger): void } {
  let target: FastifyBaseLogger | undefined;
  const early: [method: string, args: unknown[]][] = [];
  const log = new Proxy({} as FastifyBaseLogger, {
    get(_, prop: string) {
      if (target) {
        const value = (target as unknown as Record<string, unknown>)[prop];
        return typeof value === 'function' ? value.bind(target) : value;
      }
      if (prop === 'child') return () => log;
      if (prop === 'level') return 'info';
      return (...args: unknown[]) => {
        early.push([prop, args]);
      };
    },
  });
  return {
    log,
    bind(logger) {
      target = logger;
      for (const [method, args] of early.splice(0)) {
        const write = (logger as unknown as Record<string, (...a: unknown[]) => void>)[method];
        write?.apply(logger, args);
      }
    },
  };
}
