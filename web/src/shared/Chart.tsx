import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from './DataTable.js';
import { formatNumber } from './format.js';

export interface Series {
  name: string;
  data: Array<number | null>;
}

export interface ChartProps {
  title: string;
  /** one sentence for screen readers: what the chart shows */
  summary: string;
  kind: 'line' | 'bar' | 'hbar';
  categories: string[];
  series: Series[];
  decimals: number;
  unit?: string;
  /** a horizontal reference line (a target) */
  reference?: { value: number; label: string };
  height?: number;
}

/** Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphical objects). */
export const PALETTE = ['#1f5fa6', '#b4480c', '#2e7d32', '#6a3d9a', '#8a6d00', '#c2185b'];

/**
 * An ECharts chart (SVG, loaded on demand so the first page load stays small) with its table
 * alternative right below it: the same figures, readable without the chart.
 */
export function Chart(props: ChartProps): ReactNode {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const { kind, categories, series, decimals, reference, height = 320 } = props;

  useEffect(() => {
    let disposed = false;
    let chart: { dispose: () => void; resize: () => void } | undefined;
    const onResize = (): void => chart?.resize();
    void import('./echarts.js').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
      chart = c;
      const fmt = (v: unknown): string =>
        typeof v === 'number' ? formatNumber(v, decimals, i18n.language) : '';
      const horizontal = kind === 'hbar';
      const categoryAxis = { type: 'category' as const, data: categories, axisLabel: { color: '#333' } };
      const valueAxis = {
        type: 'value' as const,
        axisLabel: { color: '#333', formatter: (v: number) => fmt(v) },
      };
      c.setOption({
        aria: { enabled: false },
        animation: false,
        color: PALETTE,
        tooltip: { trigger: 'axis', valueFormatter: fmt },
        legend: series.length > 1 ? { top: 0, textStyle: { color: '#333' } } : undefined,
        grid: { left: horizontal ? 140 : 56, right: 24, top: series.length > 1 ? 36 : 16, bottom: 32 },
        xAxis: horizontal ? valueAxis : categoryAxis,
        yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
        series: series.map((s, i) => ({
          name: s.name,
          type: kind === 'line' ? 'line' : 'bar',
          data: s.data,
          connectNulls: false,
          symbolSize: 7,
          ...(i === 0 && reference
            ? {
                markLine: {
                  symbol: 'none',
                  lineStyle: { color: '#333', type: 'dashed' },
                  label: { formatter: reference.label, color: '#333' },
                  data: [horizontal ? { xAxis: reference.value } : { yAxis: reference.value }],
                },
              }
            : {}),
        })),
      });
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [kind, categories, series, decimals, reference, i18n.language]);

  const columns = [
    { key: 'category', label: t('chart.category') },
    ...series.map((s, i) => ({
      key: `s${i}`,
      label: props.unit ? `${s.name} (${props.unit})` : s.name,
      numeric: true,
    })),
  ];
  const rows = categories.map((c, r) => ({
    category: c,
    ...Object.fromEntries(
      series.map((s, i) => [`s${i}`, formatNumber(s.data[r] ?? null, decimals, i18n.language)]),
    ),
  }));

  return (
    <figure className="dp-chart utrecht-figure">
      <figcaption id={captionId} className="utrecht-heading-3">
        {props.title}
      </figcaption>
      <div ref={ref} className="dp-chart__canvas" style={{ height }} role="img" aria-label={props.summary} />
      <details className="dp-chart__table">
        <summary>{t('chart.showTable')}</summary>
        <DataTable caption={props.title} columns={columns} rows={rows} />
      </details>
    </figure>
  );
}
