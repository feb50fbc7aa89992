// The fields a reproduction sets itself (`vmsim reproduce`), so a `--set` of one would be replaced
// or contradict the columns its runs carry: refused, exit 2, saying why. Every other override is
// applied to every run and recorded as a parameter column of runs.csv (docs/models.md).
import { InputError, messages } from '../errors.js';
import { parseSets } from '../../scenarios/load.js';

/**
 * Fields a reproduction sets itself, each with why. An override of one would be replaced (or
 * contradict a column the runs carry), so it is refused; every other override is applied to every
 * run and recorded as a parameter column of runs.csv.
 */
export type FixedFields = Readonly<Record<string, string>>;

/** What isr-2005 (any `reproduce` section) sets: the bandwidth of each cell, the policies it compares. */
export const ISR_FIXED: FixedFields = {
  'link.bandwidth': 'it sets the bandwidth of each cell from reproduce.bandwidths; set link.latency on its own',
  policy: 'it runs every policy of reproduce.policies',
  variant: 'it runs every policy of reproduce.policies, not variants',
  variants: 'it runs every policy of reproduce.policies, not variants',
};

/** Refuse (exit 2) an override of a field the reproduction fixes: the field, its parents and its parts. */
export function refuseFixed(name: string, set: readonly string[], fixed: FixedFields): void {
  for (const { path } of parseSets(set)) {
    for (const [f, why] of Object.entries(fixed)) {
      if (path === f || f.startsWith(`${path}.`) || path.startsWith(`${f}.`)) throw new InputError(messages.reproductionFixes(name, path, path === f ? why : path.startsWith(`${f}.`) ? `it is part of ${f}: ${why}` : `it holds ${f}: ${why}`));
    }
  }
}

/**
 * What each row sets from its own measurements (its mode, working set and rate, max-bandwidth: the
 * row's columns in runs.csv); an override of one is refused. Fields that every row shares
 * (options.downtime_limit, link.latency, ...) may be changed: in every row, recorded as columns.
 */
export const QEMU_FIXED: FixedFields = {
  policy: "each row's mode sets it (precopy, or hybrid for post-copy)",
  variant: "each row's mode sets the policy; a row has no variants",
  variants: "each row's mode sets the policy; a row has no variants",
  'options.xbzrle': "each row's mode sets it",
  'options.max_bandwidth': "each row's max-bandwidth sets it",
  'options.max_postcopy_bandwidth': "each row's max-postcopy-bandwidth sets it",
  'options.precopy_rounds': "each post-copy row sets it (the harness's rounds before post-copy)",
  'vm.working_set': "each row's working set W and rate R set it",
  'vm.layout': "each row's layout follows from the idle guest and its working set",
};
