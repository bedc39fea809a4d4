import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ValueStatus } from './api.js';
import { useShapes } from './boundaries.js';
import { formatNumber } from './format.js';
import { Link } from './router.js';
import { MapFigure } from './MapFigure.js';

/** Sequential blues; each class differs visibly and the darkest keeps white text readable. */
export const CLASS_COLOURS = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const NO_VALUE = '#f0f0f0';

export interface MapValue {
  value: number | null;
  status: ValueStatus;
}

/** Class breaks by quantiles of the values (at most 5 classes, fewer when there are few values). */
export function classBreaks(values: number[], classes = 5): number[] {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return [];
  const n = Math.min(classes, v.length);
  const breaks: number[] = [];
  for (let i = 1; i < n; i++) breaks.push(v[Math.floor((i * v.length) / n)] as number);
  return [...new Set(breaks)];
}

export function classOf(value: number, breaks: number[]): number {
  let c = 0;
  while (c < breaks.length && value >= (breaks[c] as number)) c++;
  return c;
}

/**
 * A choropleth of wijken or buurten as SVG (d3-geo, local GeoJSON), a classed legend and links to
 * each area's page. The figures are in the table beside every map that uses it.
 */
export function AreaMap({
  level,
  values,
  decimals,
  title,
  hrefFor,
  selected,
  width = 560,
  height = 480,
}: {
  level: 'wijk' | 'buurt';
  values: Map<string, MapValue>;
  decimals: number;
  title: string;
  hrefFor?: (code: string) => string;
  selected?: string;
  width?: number;
  height?: number;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const map = useShapes(level, width, height);
  const { shapes } = map;
  const okValues = [...values.values()]
    .filter((v) => v.status === 'ok' && v.value !== null)
    .map((v) => v.value as number);
  const breaks = classBreaks(okValues);
  const fmt = (v: number): string => formatNumber(v, decimals, i18n.language);
  const legend = [...Array(breaks.length + 1).keys()].map((c) => {
    const lo = c === 0 ? Math.min(...okValues) : (breaks[c - 1] as number);
    const hi = c === breaks.length ? Math.max(...okValues) : (breaks[c] as number);
    return {
      colour: CLASS_COLOURS[
        Math.round((c * (CLASS_COLOURS.length - 1)) / Math.max(1, breaks.length))
      ] as string,
      text: `${fmt(lo)} – ${fmt(hi)}`,
    };
  });
  const colourOf = (code: string): string => {
    const v = values.get(code);
    if (!v || v.status !== 'ok' || v.value === null) return NO_VALUE;
    return legend[classOf(v.value, breaks)]?.colour ?? NO_VALUE;
  };
  const describe = (code: string, name: string): string => {
    const v = values.get(code);
    const text = !v
      ? t('status.missing')
      : v.status === 'ok' && v.value !== null
        ? fmt(v.value)
        : t(`status.${v.status}`);
    return `${name}: ${text}`;
  };

  return (
    <MapFigure
      className="dp-map utrecht-figure"
      title={title}
      map={map}
      legend={
        <ul className="dp-legend" aria-label={t('map.legend')}>
          {okValues.length > 0 &&
            legend.map((l) => (
              <li key={l.text}>
                <span className="dp-legend__swatch" style={{ background: l.colour }} aria-hidden="true" />
                {l.text}
              </li>
            ))}
          <li>
            <span className="dp-legend__swatch" style={{ background: NO_VALUE }} aria-hidden="true" />
            {t('map.noValue')}
          </li>
        </ul>
      }
    >
      {shapes.map((s) => {
        const shape = (
          <path
            d={s.d}
            fill={colourOf(s.code)}
            stroke={s.code === selected ? '#000' : '#555'}
            strokeWidth={s.code === selected ? 3 : 0.8}
          >
            <title>{describe(s.code, s.name)}</title>
          </path>
        );
        return hrefFor ? (
          <Link
            key={s.code}
            to={hrefFor(s.code)}
            className="dp-map__area"
            aria-label={describe(s.code, s.name)}
          >
            {shape}
          </Link>
        ) : (
          <g key={s.code}>{shape}</g>
        );
      })}
    </MapFigure>
  );
}
