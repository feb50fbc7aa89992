// EdgeVDI: a remote interaction costs the LAN and WAN round trips plus service and serialisation;
// after a live migration's switch-over it costs the LAN only; launching has no remote phase but the
// longest wait. Bad traces exit 2 naming the field.
import { describe, expect, it } from 'vitest';
import { loadNamedScenario } from '../../sim/cli/files.js';
import { inputError } from '../helpers/errors.js';
import { runEdge } from './helpers.js';

// scenarios/edge/vdi.yaml: LAN 50 Mbit/s + 2 ms; home (100 Mbit/s, 5 ms), cafe (50 Mbit/s, 15 ms),
// office (100 Mbit/s, 10 ms); request 1 KiB, response 16 KiB, service 10 ms; arrivals 60 s, 240 s.
const LAN_BPS = 50e6;
const SERVICE = 0.01;
const REQ = 1024 * 8;
const RESP = 16384 * 8;
const LOCAL_MS = (2 * 0.002 + SERVICE + (REQ + RESP) / LAN_BPS) * 1e3;
/** A remote interaction: LAN both ways, WAN both ways (one-way latency a + b, bandwidth the smaller). */
const remoteMs = (wanLatency: number, wanBps: number): number => LOCAL_MS + (2 * wanLatency + (REQ + RESP) / wanBps) * 1e3;
const HOME_CAFE_MS = remoteMs(0.005 + 0.015, 50e6);
const HOME_OFFICE_MS = remoteMs(0.005 + 0.01, 100e6);

type Row = Record<string, string | number | boolean>;
const ARRIVALS = [60, 240];
/** Interactions, without those in flight while the user moved (their reply goes to the new cloudlet). */
const rowsOf = (r: ReturnType<typeof runEdge>): Row[] =>
  r.tables!.interactions.filter((x) => !ARRIVALS.some((t) => (x.t_s as number) < t && (x.t_s as number) + (x.latency_ms as number) / 1e3 > t));

describe('strategy (b), remote', () => {
  const r = runEdge('vdi', [], 'vdi-remote');
  const rows = rowsOf(r);

  it('pays the WAN round trip plus service time on every remote interaction', () => {
    const cafe = rows.filter((x) => x.cloudlet === 'cafe');
    const office = rows.filter((x) => x.cloudlet === 'office');
    expect(cafe.length).toBeGreaterThan(100);
    for (const x of cafe) expect(x.latency_ms as number).toBeCloseTo(HOME_CAFE_MS, 9);
    for (const x of office) expect(x.latency_ms as number).toBeCloseTo(HOME_OFFICE_MS, 9);
    for (const x of rows.filter((y) => y.cloudlet === 'home')) expect(x.latency_ms as number).toBeCloseTo(LOCAL_MS, 9);
  });

  it('moves nothing and never stops the VM', () => {
    expect(r.metrics.moved_bytes).toBe(0);
    expect(r.metrics.downtime_ms).toBe(0);
    expect(r.metrics.switches).toBe(0);
    expect(r.metrics.p95_interaction_ms).toBeCloseTo(HOME_CAFE_MS, 6);
    // The first interaction issued after an arrival is remote; one in flight at the arrival may end first.
    expect(r.metrics.time_to_first_interaction_s * 1e3).toBeGreaterThanOrEqual(HOME_OFFICE_MS - 1e-9);
    expect(r.metrics.max_time_to_first_interaction_s * 1e3).toBeLessThanOrEqual(2 * HOME_CAFE_MS + 1e-9);
  });

  it('counts interactions above the threshold', () => {
    const strict = runEdge('vdi', ['interaction.threshold=40ms'], 'vdi-remote');
    const all = strict.tables!.interactions;
    expect(strict.metrics.share_over_threshold).toBeCloseTo(all.filter((x) => (x.latency_ms as number) > 40).length / all.length, 12);
    expect(strict.metrics.share_over_threshold).toBeGreaterThan(0.5);
    expect(r.metrics.share_over_threshold).toBe(0);
  });
});

describe('strategy (c), migrate', () => {
  const r = runEdge('vdi', [], 'vdi-migrate');
  const rows = rowsOf(r);

  it('interacts remotely while pre-copying, then falls to LAN latency after the switch', () => {
    for (const place of ['cafe', 'office']) {
      const here = rows.filter((x) => x.cloudlet === place);
      const remote = here.filter((x) => x.remote === 1);
      const local = here.filter((x) => x.remote === 0);
      expect(remote.length).toBeGreaterThan(0);
      expect(local.length).toBeGreaterThan(0);
      // Every remote interaction comes before every local one.
      expect(Math.max(...remote.map((x) => x.t_s as number))).toBeLessThan(Math.min(...local.map((x) => x.t_s as number)));
      // Remote ones share the WAN with the migration stream: at least the idle remote latency.
      const idle = place === 'cafe' ? HOME_CAFE_MS : remoteMs(0.015 + 0.01, 50e6);
      for (const x of remote) expect(x.latency_ms as number).toBeGreaterThanOrEqual(idle - 1e-9);
      // After the switch the VM is next to the user; one interaction may straddle the downtime.
      const after = local.filter((x) => (x.t_s as number) > (local[0].t_s as number) + 1);
      for (const x of after) expect(x.latency_ms as number).toBeCloseTo(LOCAL_MS, 9);
    }
  });

  it('moves the VM twice, with a short downtime, and ends running', () => {
    expect(r.metrics.switches).toBe(2);
    expect(r.metrics.downtime_ms).toBeGreaterThan(0);
    expect(r.metrics.downtime_ms).toBeLessThan(2000);
    expect(r.metrics.moved_bytes).toBeGreaterThan(2 * 0.6 * 256 * 2 ** 20 * 0.99);
    expect(r.metrics.running_at_end).toBe(1);
  });

  it('reuses the pre-copy rules, Xen too', () => {
    const x = runEdge('vdi', ['options.rules=xen'], 'vdi-migrate');
    expect(x.metrics.switches).toBe(2);
    expect(x.metrics.downtime_ms).toBeGreaterThan(0);
  });

  it('reuses the handoff loop: moves twice, falls to LAN latency after each switch', () => {
    const h = runEdge('vdi', ['options.rules=handoff'], 'vdi-migrate');
    expect(h.metrics.switches).toBe(2);
    expect(h.metrics.running_at_end).toBe(1);
    expect(h.metrics.downtime_ms).toBeGreaterThan(0);
    const local = rowsOf(h).filter((x) => x.remote === 0 && x.cloudlet === 'office');
    const after = local.filter((x) => (x.t_s as number) > (local[0].t_s as number) + 1);
    expect(after.length).toBeGreaterThan(0);
    for (const x of after) expect(x.latency_ms as number).toBeCloseTo(LOCAL_MS, 9);
  });
});

describe('strategy (a), launch, against the others', () => {
  const a = runEdge('vdi', [], 'vdi-launch');
  const b = runEdge('vdi', [], 'vdi-remote');
  const c = runEdge('vdi', [], 'vdi-migrate');

  it('has no remote phase', () => {
    expect(a.metrics.remote_share).toBe(0);
    for (const x of rowsOf(a)) expect(x.latency_ms as number).toBeLessThan(LOCAL_MS + 50);
  });

  it('makes the user wait longest for the first interaction', () => {
    expect(a.metrics.time_to_first_interaction_s).toBeGreaterThan(10 * c.metrics.time_to_first_interaction_s);
    expect(a.metrics.time_to_first_interaction_s).toBeGreaterThan(10 * b.metrics.time_to_first_interaction_s);
    // It waits at least for the launch (2 s) plus the VM's non-zero pages over the home-cafe WAN.
    expect(a.metrics.max_time_to_first_interaction_s).toBeGreaterThan(2 + (0.6 * 256 * 2 ** 20 * 8) / 50e6);
    expect(a.metrics.blocked_s).toBeGreaterThan(0);
    expect(a.metrics.downtime_ms).toBeGreaterThan(100 * c.metrics.downtime_ms);
  });

  it('remote has the worst steady latency, migrate in between', () => {
    expect(b.metrics.mean_interaction_ms).toBeGreaterThan(c.metrics.mean_interaction_ms);
    expect(c.metrics.mean_interaction_ms).toBeGreaterThan(a.metrics.p50_interaction_ms);
  });

  it('is deterministic', () => {
    expect(runEdge('vdi', [], 'vdi-migrate')).toEqual(c);
  });
});

describe('EdgeVDI, bad input', () => {
  it('refuses a trace whose times go backwards', () => {
    const e = inputError(() => loadNamedScenario('vdi', ['trace=[{at: 0s, cloudlet: home}, {at: 60s, cloudlet: cafe}, {at: 30s, cloudlet: office}]']));
    expect(e.message).toMatch(/field trace\.2\.at: times go backwards/);
  });
  it('refuses an unknown cloudlet', () => {
    const e = inputError(() => loadNamedScenario('vdi', ['trace=[{at: 0s, cloudlet: home}, {at: 60s, cloudlet: mars}]']));
    expect(e.message).toMatch(/field trace\.1\.cloudlet: unknown cloudlet "mars"; known: home, cafe, office/);
  });
  it('refuses an arrival after the session', () => {
    const e = inputError(() => loadNamedScenario('vdi', ['duration=100s']));
    expect(e.message).toMatch(/field trace\.2\.at: arrival at 240 s is not within the session/);
  });
});
