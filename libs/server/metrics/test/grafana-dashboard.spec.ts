import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { METRIC, METRIC_SERVICES, ServiceMetrics } from '../src/index.js';
import { metricNamesIn } from './promql-metrics.js';

const DASHBOARD = fileURLToPath(new URL('../../../../deploy/grafana/lexy-files.json', import.meta.url));

interface Target {
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
  __inputs: { name: string; type: string; pluginId: string }[];
  templating: { list: { name: string; type: string; query: string }[] };
  panels: Panel[];
};

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}
const graphs = allPanels(dashboard.panels).filter((panel) => panel.type !== 'row');

/** Every name the code registers: the catalogue, histograms' series, each service's process metrics. */
async function registeredNames(): Promise<Set<string>> {
  const names = new Set<string>();
  const histogram = (name: string) => ['_bucket', '_sum', '_count'].forEach((suffix) => names.add(name + suffix));
  for (const name of Object.values(METRIC)) {
    names.add(name);
    if (name.endsWith('_seconds')) histogram(name);
  }
  for (const service of METRIC_SERVICES) {
    for (const metric of await new ServiceMetrics(service).registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') histogram(metric.name);
    }
  }
  return names;
}

describe('the Grafana dashboard (deploy/grafana/lexy-files.json)', () => {
  it('takes its Prometheus as the DS_PROMETHEUS variable, in every panel and query', () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' })]);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' }),
    );
    for (const panel of graphs) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, '${DS_PROMETHEUS}']);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('${DS_PROMETHEUS}');
    }
  });

  it('has unique panel ids and a query in every panel', () => {
    const ids = allPanels(dashboard.panels).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of graphs) expect([panel.title, (panel.targets ?? []).length > 0]).toEqual([panel.title, true]);
  });

  it('queries only metrics the services register, each panel at least one', async () => {
    const registered = await registeredNames();
    for (const panel of graphs) {
      const used = (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr ?? ''));
      expect([panel.title, used.length > 0]).toEqual([panel.title, true]);
      expect([panel.title, used.filter((name) => !registered.has(name))]).toEqual([panel.title, []]);
    }
  });

  it('shows every catalogued metric somewhere', () => {
    const used = new Set(graphs.flatMap((panel) => (panel.targets ?? []).flatMap((t) => metricNamesIn(t.expr ?? ''))));
    const shown = (name: string) => ['', '_bucket', '_sum', '_count'].some((suffix) => used.has(name + suffix));
    expect(Object.values(METRIC).filter((name) => !shown(name))).toEqual([]);
  });
});

describe('metricNamesIn', () => {
  it('finds the metrics of an expression, not its functions, labels, ranges or keywords', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(lexy_http_request_duration_seconds_bucket{route!="x",status_class=~"5xx|4xx"}[$__rate_interval])))',
      ),
    ).toEqual(['lexy_http_request_duration_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total[5m])) / sum without (job) (b_total) > bool 0 or on (x) c')).toEqual([
      'a_total',
      'b_total',
      'c',
    ]);
  });
});
