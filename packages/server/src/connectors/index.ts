import { type ConnectorRegistry, createConnectorRegistry } from './connector.js';
import { httpConnector } from './http/connector.js';

export * from './connector.js';
export { httpConnector } from './http/connector.js';

/** The connectors `nagare serve` runs. */
export function defaultConnectors(): ConnectorRegistry {
  return createConnectorRegistry([httpConnector()]);
}
