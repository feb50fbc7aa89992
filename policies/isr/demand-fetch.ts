// Pure demand-fetch: only the memory image moves at resume; disk chunks are fetched from the
// server when the running VM first touches them.
import { lookasidePreset } from '../shared/lookaside.js';

export const demandFetch = lookasidePreset('demand-fetch', 'fetch the memory image at resume; fetch disk chunks on demand as the VM misses', {});
