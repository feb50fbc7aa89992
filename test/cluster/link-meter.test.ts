// The cluster's link meter sums again only the links of flows that started, ended or changed rate
// (the network's list of changes): after every reshare its rates must be bit-identical to summing
// every active flow's rate on every link in the network's order, with flows starting, draining and
// being cancelled anywhere in that order, background streams among them.
import { expect, test } from 'vitest';
import { RandomStreams } from '../../sim/engine/random.js';
import { Flow, LINK_DEFAULTS, World, type Resource } from '../../sim/world/index.js';
import { Background, LinkMeter } from '../../sim/kinds/cluster/links.js';
import { host } from '../helpers/world.js';

test('link rates after every reshare equal the sums over all active flows in start order', () => {
  const rng = new RandomStreams('link-meter').stream('flows');
  const w = new World(1);
  const sites = ['A', 'B', 'C', 'D'];
  for (const s of sites) w.addHost(host(s));
  const links = [['A', 'B'], ['B', 'C'], ['C', 'D'], ['A', 'C']].map(([a, b], k) =>
    w.addLink({ name: `l${k}`, a, b, bandwidth_bps: [8e6, 3e6, 7e6, 5e6][k], latency_s: 0, schedule: [], ...LINK_DEFAULTS }),
  );
  const resources = links.flatMap((l) => [l.ab, l.ba]);
  const meter = new LinkMeter(w, 0.5);
  const bg = new Background();
  let checks = 0;
  const metered = w.network.onRates as () => void;
  w.network.onRates = () => {
    metered();
    for (const r of resources) {
      let m = 0;
      let b = 0;
      w.network.forEachFlow((f) => {
        for (const x of f.resources) if (x === r) f.owner instanceof Background ? (b += f.rate) : (m += f.rate);
      });
      const got = meter.ratesOf(r) ?? { migration_Bps: 0, background_Bps: 0 };
      expect(Object.is(got.migration_Bps, m) && Object.is(got.background_Bps, b), `${r.name} at ${w.now}`).toBe(true);
    }
    checks++;
  };
  const live: Flow[] = [];
  const paths = (): readonly Resource[] => {
    const k = Math.floor(rng() * 6);
    return [[links[0].ab], [links[0].ab, links[1].ab], [links[3].ab, links[2].ab], [links[1].ba, links[0].ba], [links[2].ba, links[1].ba, links[0].ba], [links[3].ab, links[1].ba, links[0].ba]][k];
  };
  for (let k = 0; k < 300; k++) {
    w.sim.at(k * 0.05, () => {
      const action = rng();
      if (action < 0.6 || live.length === 0) {
        const cap = rng() < 0.8 ? (0.05 + rng()) * 3e5 : Infinity;
        const f = new Flow((0.01 + rng()) * 3e5, paths(), cap, (d) => live.splice(live.indexOf(d), 1), 0, rng() < 0.25 ? bg : null);
        live.push(f);
        w.network.start(f);
      } else {
        const f = live.splice(Math.floor(rng() * live.length), 1)[0];
        w.network.cancel(f);
      }
    });
  }
  w.run();
  expect(checks).toBeGreaterThan(300);
});
