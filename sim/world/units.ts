// Units used inside the model. Names carry units: `_s` seconds, `_bps` bits per second,
// `_Bps` bytes per second, plain `bytes`. Conversions live here so a factor of 8 is never retyped.
export type Seconds = number;
export type Bytes = number;
export type BitsPerSecond = number;
export type BytesPerSecond = number;

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

export const bpsToBps = (bitsPerSecond: BitsPerSecond): BytesPerSecond => bitsPerSecond / 8;
export const BpsToBps = (bytesPerSecond: BytesPerSecond): BitsPerSecond => bytesPerSecond * 8;

/** Seconds to move `bytes` at `bitsPerSecond` (no latency). */
export const serialisation = (bytes: Bytes, bitsPerSecond: BitsPerSecond): Seconds => (bytes * 8) / bitsPerSecond;
