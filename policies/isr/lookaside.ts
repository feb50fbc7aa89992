// Lookaside composed by options: the image from the network or a dongle, chunks from any list of
// devices before the server (e.g. `options: { image: dongle, chunks: [dvd, jukebox] }`).
import { lookasidePreset } from '../shared/lookaside.js';

export const lookaside = lookasidePreset('lookaside', 'demand-fetch with lookaside sources chosen by options (image: network|dongle, chunks: [dvd, jukebox])', {});
