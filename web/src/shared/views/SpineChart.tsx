import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../DataTable.js';
import { formatSigned } from '../format.js';

export interface SpineItem {
  id: string;
  label: string;
  /** the group the row belongs to (a theme); consecutive rows of a group are drawn under its name */
  group: string;
  /** the difference with the municipality as a percentage of the municipality's value */
  relative: number;
  /** better or worse than the municipality by the indicator's polarity; null: no preferred direction */
  better: boolean | null;
  valueText: string;
  municipalityText: string;
  differenceText: string;
}

/** Blue, orange and grey: told apart without red–green, each ≥ 3:1 against white. */
const COLOURS = { better: '#1f5fa6', worse: '#b4480c', neutral: '#6b6b6b' };
const LIMIT = 100;

const ellipsis = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A spine chart: per indicator a bar from the municipality (the spine, 0) to the area, as the
 * difference in percent of the municipality's value (capped at ±100%), coloured by better or worse.
 * An SVG named by its caption, with the same figures as a table right below it.
 */
export function SpineChart({
  title,
  items,
  tableOpen = false,
}: {
  title: string;
  items: SpineItem[];
  /** show the table without a click (printed reports) */
  tableOpen?: boolean;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const captionId = useId();
  const descId = useId();
  const labelW = 330;
  const gap = 12;
  const plotW = 420;
  const width = labelW + gap + plotW + 16;
  const mid = labelW + gap + plotW / 2;
  const scale = plotW / 2 / LIMIT;
  const rowH = 20;
  const groupH = 26;
  const top = 34;

  let y = top;
  let lastGroup: string | undefined;
  const rows: ReactNode[] = [];
  for (const it of items) {
    if (it.group !== lastGroup) {
      lastGroup = it.group;
      y += lastGroup === items[0]?.group ? 4 : 8;
      rows.push(
        <text key={`g-${it.group}`} x={0} y={y + 14} className="dp-spine__group">
          {it.group}
        </text>,
      );
      y += groupH - 4;
    }
    const rel = Math.max(-LIMIT, Math.min(LIMIT, it.relative));
    const w = Math.abs(rel) * scale;
    const colour = it.better === null ? COLOURS.neutral : it.better ? COLOURS.better : COLOURS.worse;
    rows.push(
      <g key={it.id}>
        <text x={8} y={y + 14} className="dp-spine__label">
          {ellipsis(it.label, 52)}
        </text>
        <rect
          x={rel < 0 ? mid - w : mid}
          y={y + 4}
          width={Math.max(w, 1.5)}
          height={rowH - 8}
          fill={colour}
        />
        {Math.abs(it.relative) > LIMIT && (
          <text
            x={rel < 0 ? mid - w - 4 : mid + w + 4}
            y={y + 14}
            textAnchor={rel < 0 ? 'end' : 'start'}
            className="dp-spine__label"
          >
            {rel < 0 ? '«' : '»'}
          </text>
        )}
      </g>,
    );
    y += rowH;
  }
  const height = y + 12;
  const ticks = [-100, -50, 0, 50, 100];

  return (
    <figure className="dp-chart dp-spine utrecht-figure">
      <figcaption id={captionId} className="utrecht-heading-3">
        {title}
      </figcaption>
      <p id={descId} className="utrecht-paragraph utrecht-paragraph--small">
        {t('view.spine.explain')}
      </p>
      <ul className="dp-legend" aria-label={t('map.legend')}>
        {(['better', 'worse', 'neutral'] as const).map((k) => (
          <li key={k}>
            <span className="dp-legend__swatch" style={{ background: COLOURS[k] }} aria-hidden="true" />
            {t(`view.spine.${k}`)}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="dp-spine__svg"
        role="img"
        aria-labelledby={captionId}
        aria-describedby={descId}
      >
        <text x={mid - plotW / 2} y={12} className="dp-spine__axis">
          {t('view.spine.lower')}
        </text>
        <text x={mid + plotW / 2} y={12} textAnchor="end" className="dp-spine__axis">
          {t('view.spine.higher')}
        </text>
        {ticks.map((v) => (
          <g key={v}>
            <line
              x1={mid + v * scale}
              x2={mid + v * scale}
              y1={top - 6}
              y2={height - 8}
              stroke={v === 0 ? '#1f1f1f' : '#d0d0d0'}
              strokeWidth={v === 0 ? 2 : 1}
            />
            <text x={mid + v * scale} y={top - 10} textAnchor="middle" className="dp-spine__axis">
              {v === 0 ? t('level.gemeente') : `${formatSigned(v, 0, i18n.language)}%`}
            </text>
          </g>
        ))}
        {rows}
      </svg>
      <details className="dp-chart__table" open={tableOpen}>
        <summary>{t('chart.showTable')}</summary>
        <DataTable
          caption={title}
          columns={[
            { key: 'label', label: t('view.indicatorName') },
            { key: 'value', label: t('view.value'), numeric: true },
            { key: 'municipality', label: t('level.gemeente'), numeric: true },
            { key: 'difference', label: t('view.difference'), numeric: true },
            { key: 'relative', label: t('view.spine.relative'), numeric: true },
            { key: 'judgement', label: t('view.spine.judgement') },
          ]}
          rows={items.map((it) => ({
            label: it.label,
            value: it.valueText,
            municipality: it.municipalityText,
            difference: it.differenceText,
            relative: `${formatSigned(it.relative, 0, i18n.language)}%`,
            judgement: t(`view.spine.${it.better === null ? 'neutral' : it.better ? 'better' : 'worse'}`),
          }))}
          rowKey={(_, i) => items[i]?.id ?? String(i)}
        />
      </details>
    </figure>
  );
}
