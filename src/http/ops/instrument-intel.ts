import type { IntelService } from '../../services/intel/index.js';
import type { EntenteMetrics } from './metrics.js';

/**
 * The intel service with every ingest counted in `entente_objects_ingested_total`, whichever
 * interface it came through (TAXII POST, REST import, CLI). A decorator rather than a counter
 * in each route: the routes stay thin and none can forget it. Methods are bound to the real
 * service because its state lives in private fields a proxy cannot reach.
 */
export function instrumentIntel(intel: IntelService, metrics: Pick<EntenteMetrics, 'observeIngest'>): IntelService {
  const ingest: IntelService['ingest'] = async (collectionId, input, options) => {
    const report = await intel.ingest(collectionId, input, options);
    metrics.observeIngest(report.collectionId, report.results);
    return report;
  };
  return new Proxy(intel, {
    get(target, property) {
      if (property === 'ingest') return ingest;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
