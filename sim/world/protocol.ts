// A window-based bulk-transfer protocol (Coda's SFTP, TCP) over a bottleneck. The sender puts a
// window of packets into the bottleneck queue at once; the last of them waits window*8/bandwidth
// before it is even sent. A packet whose acknowledgement has not come back within the
// retransmission timeout is sent again, so when the queueing delay outgrows the timeout, part of
// every window crosses the bottleneck twice. This is why a very slow link delivers less than its
// bandwidth suggests, while a fast one is unaffected.
import type { Bytes, BitsPerSecond, Seconds } from './units.js';

export interface WindowProtocol {
  /** Bytes in flight per window. */
  window_bytes: Bytes;
  /** Retransmission timeout. */
  rto_s: Seconds;
}

/**
 * Share of each window sent twice: the packets whose queueing delay plus the path's round trip
 * exceeds the timeout. Packets drain uniformly, so the share is the part of the window beyond
 * (rto - rtt) * bandwidth.
 */
export function spuriousShare(p: WindowProtocol, bandwidth_bps: BitsPerSecond, rtt_s: Seconds): number {
  const fitsBytes = (Math.max(0, p.rto_s - rtt_s) * bandwidth_bps) / 8;
  if (fitsBytes >= p.window_bytes) return 0;
  return 1 - fitsBytes / p.window_bytes;
}

/** Wire bytes to deliver `bytes` with spurious retransmissions (on top of headers and loss). */
export function withRetransmissions(bytes: Bytes, p: WindowProtocol | undefined, bandwidth_bps: BitsPerSecond, rtt_s: Seconds): Bytes {
  return p === undefined ? bytes : bytes * (1 + spuriousShare(p, bandwidth_bps, rtt_s));
}
