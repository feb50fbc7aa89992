// Checks of policy options against the scenario, shared by the policies that take the options.
import type { OptionProblem, ScenarioFacts } from '../../sim/policy.js';

/** QEMU refuses an XBZRLE cache smaller than a page (xbzrle_cache_resize: "cache size too small"). */
export function checkXbzrle(o: { xbzrle: boolean; xbzrle_cache_size: number }, facts: ScenarioFacts): OptionProblem[] {
  if (!o.xbzrle || facts.page_bytes === undefined || o.xbzrle_cache_size >= facts.page_bytes) return [];
  return [{ path: 'xbzrle_cache_size', message: `an XBZRLE cache of ${o.xbzrle_cache_size} bytes holds no page of ${facts.page_bytes} bytes; give at least the page size` }];
}
