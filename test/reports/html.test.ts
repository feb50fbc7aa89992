// The report page: escaping of user text, ids made unique across inline SVGs, nothing external.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../reports/aggregate.js';
import { escapeHtml, reportHtml, scopeSvgIds, type ReportInput } from '../../reports/html.js';

const EVIL = `<script>alert("x")</script> & 'co'`;

function input(over: Partial<ReportInput> = {}): ReportInput {
  const records = [0, 1].map((trial) => ({
    scenario: EVIL,
    kind: 'migration',
    variant: `p<${trial}>`,
    policy: `p<${trial}>`,
    seed: 10 + trial,
    trial,
    params: { 'vm.name': '<img src=x onerror=alert(1)>' },
    metrics: { total_time_ms: 1.5 },
  }));
  return {
    title: EVIL,
    description: `desc ${EVIL}`,
    kind: 'migration',
    command: `vmsim sweep x --set 'vm.name=<b>'`,
    trials: 2,
    baseSeed: 7,
    seeds: [
      { trial: 0, seed: 10 },
      { trial: 1, seed: 11 },
    ],
    scenarioText: `name: ${EVIL}\n`,
    axes: [{ path: 'vm.name', spec: '<img>', count: 1 }],
    runs: 2,
    aggregate: aggregate(records),
    charts: [
      { title: `t ${EVIL}`, svg: '<svg><defs><clipPath id="clip1"></clipPath></defs><g clip-path="url(#clip1)"></g></svg>', links: [{ label: 'spec', href: 'charts/a.vl.json' }] },
      { title: 'two', section: 'headline' as const, svg: '<svg><defs><clipPath id="clip1"></clipPath></defs><g clip-path="url(#clip1)"></g></svg>', links: [] },
    ],
    files: ['runs.csv', 'report.html'],
    ...over,
  };
}

describe('reportHtml', () => {
  const html = reportHtml(input());

  it('escapes every piece of user text', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('loads nothing from elsewhere: no script, no external stylesheet, image or font', () => {
    expect(html).not.toMatch(/<(script|link|iframe)\b/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(http/i);
  });

  it('headline charts come first, the others under More metrics', () => {
    expect(html.indexOf('<figcaption>two</figcaption>')).toBeLessThan(html.indexOf('id="more"'));
    expect(html.indexOf('id="more"')).toBeLessThan(html.indexOf('<figcaption>t &lt;script'));
  });

  it('each chart gets its own ids', () => {
    expect(html).toContain('id="c1-clip1"');
    expect(html).toContain('url(#c2-clip1)');
    expect(html.match(/id="clip1"/g)).toBeNull();
    expect(scopeSvgIds('<use href="#g1"/><path id="g1" fill="url(#g1)"/>', 'k')).toBe('<use href="#k-g1"/><path id="k-g1" fill="url(#k-g1)"/>');
  });

  it('shows the seeds, the command, the scenario and the point table', () => {
    expect(html).toContain('<tr><td>1</td><td>11</td></tr>');
    expect(html).toContain('<pre id="command">vmsim sweep x --set &#39;vm.name=&lt;b&gt;&#39;</pre>');
    expect(html).toContain('<th>Total migration time</th>');
    expect(html).toContain('<span class="col">total_time_ms</span>');
    expect(html).toContain('<dd>2 (1 point × 2 trials)</dd>');
  });
});
