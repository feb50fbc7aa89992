// Dongle lookaside: at suspend the compressed memory image and its index also go onto a USB dongle
// the user carries; at resume the image is read from it (verified by hash), not the network.
import { lookasidePreset } from '../shared/lookaside.js';

export const dongleLka = lookasidePreset('dongle-lka', 'carry the memory image on a USB dongle; disk chunks on demand', { image: 'dongle' });
