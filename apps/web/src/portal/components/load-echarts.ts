/**
 * ECharts, loaded on demand: only the pieces the trend chart uses, as separate chunks that no page
 * fetches before it draws a chart. Each dynamic import names what it takes (`.then(({ A }) => …)`)
 * so the bundler can drop the rest of the package.
 */
export async function loadECharts() {
  const [core, charts, components, renderers] = await Promise.all([
    import('echarts/core'),
    import('echarts/charts').then(({ BarChart, LineChart }) => [BarChart, LineChart]),
    import('echarts/components').then(({ GridComponent, LegendComponent, TooltipComponent }) => [
      GridComponent,
      LegendComponent,
      TooltipComponent,
    ]),
    import('echarts/renderers').then(({ SVGRenderer }) => [SVGRenderer]),
  ]);
  core.use([...charts, ...components, ...renderers]);
  return core;
}

/** The ECharts core namespace, once loaded. */
export type ECharts = Awaited<ReturnType<typeof loadECharts>>;
