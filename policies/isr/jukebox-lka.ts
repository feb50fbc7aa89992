// Jukebox lookaside: as DVD lookaside, but the content-addressable store is a LAN server.
import { lookasidePreset } from '../shared/lookaside.js';

export const jukeboxLka = lookasidePreset('jukebox-lka', 'demand-fetch, reading chunks found on a LAN content server from it', { chunks: ['jukebox'] });
