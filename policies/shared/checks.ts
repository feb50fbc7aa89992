// Checks of policy options against the scenario, shared by the policies that take the options.
import type { OptionProblem, ScenarioFacts } from '../../sim/policy.js';
import { messages } from '../../sim/errors.js';

/** QEMU refuses an XBZRLE cache smaller than a page (xbzrle_cache_resize: "cache size too small"). */
export function checkXbzrle(o: { xbzrle: boolean; xbzrle_cache_size: number }, facts: ScenarioFacts): OptionProblem[] {
  if (!o.xbzrle || facts.page_bytes === undefined || o.xbzrle_cache_size >= facts.page_bytes) return [];
  return [{ path: 'xbzrle_cache_size', message: `an XBZRLE cache of ${o.xbzrle_cache_size} bytes holds no page of ${facts.page_bytes} bytes; give at least the page size` }];
}

/** The counted memory model runs QEMU's rules without XBZRLE (page identities for the cache otherwise). */
export function checkCounted(o: { rules: string; xbzrle?: boolean }, facts: ScenarioFacts): OptionProblem[] {
  if (facts.memory_model !== 'counted') return [];
  if (o.rules !== 'qemu') return [{ path: 'rules', message: messages.countedPolicy(`precopy (rules: ${o.rules})`, 'reads page identities'), field: 'vm.model' }];
  if (o.xbzrle === true) return [{ path: 'xbzrle', message: messages.countedPolicy('precopy (xbzrle)', "caches pages by identity"), field: 'vm.model' }];
  return [];
}
