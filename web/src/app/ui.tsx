import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../shared/api.js';
import { Chart, type ChartProps, type Series } from '../shared/Chart.js';
import { formatNumber } from '../shared/format.js';
import { useTitle } from '../shared/hooks.js';
import { Heading, TextField } from '../shared/nlds.js';

/** The page's one h1, also the document title. */
export function PageTitle({ children }: { children: string }): ReactNode {
  const { t } = useTranslation();
  useTitle(children, t('app.site'));
  return <Heading level={1}>{children}</Heading>;
}

/** A yes/no as words. */
export function YesNo({ value }: { value: boolean }): ReactNode {
  const { t } = useTranslation();
  return <>{value ? t('app.yes') : t('app.no')}</>;
}

/** A list of words, or a dash when there are none. */
export function Words({ items }: { items: string[] }): ReactNode {
  return <>{items.length > 0 ? items.join(', ') : '—'}</>;
}

/** A quality score 0–100 with one decimal, as the reader's language writes it; a dash when there is none. */
export const scoreText = (v: number | null | undefined, lang: string): string =>
  v === null || v === undefined ? '—' : formatNumber(Math.round(v * 10) / 10, 1, lang);

/** A chart of quality scores: one decimal, as scoreText writes them. */
export function ScoreChart({
  data,
  ...rest
}: Omit<ChartProps, 'categories' | 'series' | 'decimals'> & {
  data: { categories: string[]; series: Series[] };
}): ReactNode {
  return <Chart {...rest} categories={data.categories} series={data.series} decimals={1} />;
}

/** The options of a filter select: "all" (no filter), then each value with `text` as its words. */
export function filterOptions(
  all: string,
  values: readonly string[],
  text: (value: string) => string = (v) => v,
): Array<[string, string]> {
  return [['', all], ...values.map((v): [string, string] => [v, text(v)])];
}

/** Whether one of `texts` contains the search text (no search text: every one matches). */
export function matchesSearch(search: string, texts: readonly string[]): boolean {
  const needle = search.trim().toLowerCase();
  return !needle || texts.some((x) => x.toLowerCase().includes(needle));
}

/**
 * A search form over a list, kept in the address by the page: a search box, the page's selects
 * (`children`), and how many of the list are shown.
 */
export function SearchFilters({
  search,
  onSearch,
  shown,
  total,
  children,
}: {
  search: string;
  onSearch: (search: string) => void;
  shown: number;
  total: number;
  children: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <form
        className="dp-filters"
        role="search"
        aria-label={t('app.filter')}
        onSubmit={(e) => e.preventDefault()}
      >
        <TextField
          label={t('app.catalog.search')}
          type="search"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
        />
        {children}
      </form>
      <p className="utrecht-paragraph" role="status">
        {t('app.catalog.count', { count: shown, total })}
      </p>
    </>
  );
}

/** Which way a change goes, given the indicator's polarity. */
export function direction(
  change: number,
  polarity: 'higher_is_better' | 'lower_is_better' | 'neutral',
): 'better' | 'worse' | 'same' | 'neutral' {
  if (change === 0) return 'same';
  if (polarity === 'neutral') return 'neutral';
  const up = change > 0;
  return up === (polarity === 'higher_is_better') ? 'better' : 'worse';
}

/** A group of checkboxes (a fieldset with a legend), with its error tied to the group. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  error,
  id,
}: {
  legend: string;
  options: Array<[string, string]>;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | undefined;
  id: string;
}): ReactNode {
  return (
    <fieldset
      className={`utrecht-form-fieldset utrecht-form-fieldset--html-fieldset dp-fieldset${error ? ' utrecht-form-fieldset--invalid' : ''}`}
      id={id}
      {...(error ? { 'aria-describedby': `${id}-e`, 'aria-invalid': true } : {})}
    >
      <legend className="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
        {legend}
      </legend>
      {error && (
        <div className="utrecht-form-field-error-message dp-field-error" id={`${id}-e`}>
          {error}
        </div>
      )}
      {options.map(([v, text]) => (
        <div className="utrecht-form-field utrecht-form-field--checkbox" key={v}>
          <input
            type="checkbox"
            id={`${id}-${v}`}
            className="utrecht-checkbox utrecht-checkbox--html-input"
            checked={value.includes(v)}
            onChange={(e) => onChange(e.target.checked ? [...value, v] : value.filter((x) => x !== v))}
          />{' '}
          <label className="utrecht-form-label utrecht-form-label--checkbox" htmlFor={`${id}-${v}`}>
            {text}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** The errors of a 400's invalidParams by field (the first segment of the name: roles/0 → roles). */
export function fieldErrors(
  e: unknown,
  t: (k: string, o?: Record<string, unknown>) => string,
): Record<string, string> {
  if (!(e instanceof ApiError) || !e.problem.invalidParams) return {};
  const out: Record<string, string> = {};
  for (const p of e.problem.invalidParams) {
    const field = p.name.split(/[/.[]/)[0] ?? p.name;
    const code = (p as { code?: string }).code ?? '';
    const text = t(`app.invalid.${code}`, { defaultValue: p.reason });
    out[field] = out[field] ? `${out[field]}; ${text}` : text;
  }
  return out;
}
