// DVD lookaside: demand-fetch, but a missing chunk whose content is on a read-only DVD of the base
// install (found by content hash) is read from the DVD instead of the server.
import { lookasidePreset } from '../shared/lookaside.js';

export const dvdLka = lookasidePreset('dvd-lka', 'demand-fetch, reading chunks found on a base-install DVD from it', { chunks: ['dvd'] });
