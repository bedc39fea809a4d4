import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  getJson,
  query,
  type Area,
  type AreaProfile,
  type Indicator,
  type Polarity,
  type ProfileRow,
} from '../api.js';
import { DataTable } from '../DataTable.js';
import { formatNumber, formatSigned, labelOf, periodText, valueText } from '../format.js';
import { Heading, Paragraph, SelectField } from '../nlds.js';
import { useApi, type Loaded } from '../hooks.js';
import { Link, useQueryParam } from '../router.js';
import { LocatorMap } from './LocatorMap.js';
import { SpineChart, type SpineItem } from './SpineChart.js';

export interface AreaProfileViewProps {
  profile: AreaProfile;
  /** the indicators (for polarity and "Bron" attributions); without them no bar is called better or worse */
  indicators?: Indicator[] | undefined;
  /** every area (for the parent and the sub-areas); optional */
  areas?: Area[] | undefined;
  /** the years to choose from; the selector shows when onYearChange is given */
  years?: string[];
  onYearChange?: (year: string) => void;
  hrefForArea: (code: string) => string;
  hrefForIndicator?: (id: string) => string;
  /** links under the title, e.g. "Afdrukbaar rapport" and "Download PDF" */
  actions?: ReactNode;
  /** 'report': no selector, no map, tables open, for print and PDF */
  mode?: 'screen' | 'report';
  /** the h1 (default: the area's name) */
  heading?: string;
  /** shown right under the h1 (a report's date, a print button) */
  intro?: ReactNode;
}

const DOMAINS = ['fysiek', 'sociaal'];

/**
 * The profile of an area for the year in `?jaar=` (none: the latest), from `base` (the portal:
 * /areas, the internal app: /internal/areas).
 */
export function useAreaProfile(
  base: string,
  code: string,
): { profile: Loaded<AreaProfile>; year: string; setYear: (year: string) => void } {
  const [year, setYear] = useQueryParam('jaar');
  const profile = useApi<AreaProfile>(
    `${base}/${encodeURIComponent(code)}/profile${query({ year })}`,
    getJson,
  );
  return { profile, year, setYear };
}

/** Better (true), worse (false) or neither (null) than the municipality, by the indicator's polarity. */
export function betterThanMunicipality(row: ProfileRow, polarity: Polarity | undefined): boolean | null {
  if (row.difference === null || row.difference === 0 || !polarity || polarity === 'neutral') return null;
  return polarity === 'higher_is_better' ? row.difference > 0 : row.difference < 0;
}

/** Rows by domain (fysiek, then sociaal, then any other) and theme, in the profile's order within. */
export function groupRows(
  rows: ProfileRow[],
): Array<{ domain: string; themes: Array<[string, ProfileRow[]]> }> {
  const domains = [
    ...new Set([...DOMAINS.filter((d) => rows.some((r) => r.domain === d)), ...rows.map((r) => r.domain)]),
  ];
  return domains.map((domain) => {
    const themes = new Map<string, ProfileRow[]>();
    for (const r of rows) if (r.domain === domain) themes.set(r.theme, [...(themes.get(r.theme) ?? []), r]);
    return { domain, themes: [...themes] };
  });
}

/**
 * An area profile (wijkprofiel): a spine chart against the municipality, every indicator by domain
 * and theme with the municipality, difference, trend, target, rank and CBS figure; similar areas and
 * a map. The face fetches; this only shows.
 */
export function AreaProfileView({
  profile,
  indicators,
  areas,
  years,
  onYearChange,
  hrefForArea,
  hrefForIndicator,
  actions,
  mode = 'screen',
  heading,
  intro,
}: AreaProfileViewProps): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { area } = profile;
  const report = mode === 'report';
  const uid = useId();
  const byId = useMemo(() => new Map((indicators ?? []).map((i) => [i.id, i])), [indicators]);
  const groups = useMemo(() => groupRows(profile.indicators), [profile.indicators]);
  const num = (v: number | null | undefined, d: number): string => formatNumber(v, d, lang);
  const dec = (r: ProfileRow): number => r.decimals ?? byId.get(r.id)?.decimals ?? 1;
  const parent = area.parent ? areas?.find((a) => a.code === area.parent) : undefined;
  const children = (areas ?? []).filter((a) => a.parent === area.code);
  const levelName = t(`level.${area.level}`);
  const hasCbs = profile.indicators.some((r) => r.cbs && r.cbs.value !== null);
  const attributions = [
    ...new Set((indicators ?? []).map((i) => i.attribution).filter((a): a is string => !!a)),
  ];

  const spine: SpineItem[] = [];
  if (area.level !== 'gemeente') {
    for (const { domain, themes } of groups)
      for (const [theme, rows] of themes)
        for (const r of rows) {
          if (
            r.status !== 'ok' ||
            r.value === null ||
            r.municipality === null ||
            r.municipality === 0 ||
            r.difference === null
          )
            continue;
          // a count of a wijk is always a fraction of the municipality's: not a comparison
          if (byId.get(r.id)?.type === 'count') continue;
          spine.push({
            id: r.id,
            label: labelOf(r.label, lang),
            group: `${t(`view.domain.${domain}`, { defaultValue: domain })} · ${theme}`,
            relative: (r.difference / Math.abs(r.municipality)) * 100,
            better: betterThanMunicipality(r, byId.get(r.id)?.polarity),
            valueText: `${num(r.value, dec(r))} ${r.unit}`,
            municipalityText: `${num(r.municipality, dec(r))} ${r.unit}`,
            differenceText: formatSigned(r.difference, dec(r), lang),
          });
        }
  }

  const trendText = (r: ProfileRow): ReactNode => {
    if (r.status !== 'ok' || !r.trend || r.change === null || r.change === undefined) return '';
    const since = r.previous ? ` ${t('view.since', { period: periodText(r.previous.period) })}` : '';
    const change = `${formatSigned(r.change, dec(r), lang)}${since}`;
    if (r.trend === 'better' || r.trend === 'worse')
      return (
        <span className={r.trend === 'better' ? 'dp-better' : 'dp-worse'}>
          {t(`trend.${r.trend}`)} ({change})
        </span>
      );
    const word =
      r.trend === 'same' || r.change === 0
        ? t('trend.same')
        : r.change > 0
          ? t('view.trend.up')
          : t('view.trend.down');
    return `${word} (${change})`;
  };
  const targetText = (r: ProfileRow): string => {
    if (!r.target) return '';
    const status =
      r.target.met === true
        ? t('target.met')
        : r.target.met === false
          ? t('target.notMet')
          : t('target.unknown');
    return `${num(r.target.value, dec(r))}: ${status}`;
  };

  const columns = [
    { key: 'label', label: t('view.indicatorName') },
    { key: 'value', label: t('view.value'), numeric: true },
    { key: 'municipality', label: t('level.gemeente'), numeric: true },
    { key: 'difference', label: t('view.difference'), numeric: true },
    { key: 'trend', label: t('view.trendColumn') },
    { key: 'target', label: t('view.target') },
    { key: 'rank', label: t('view.rank') },
    ...(hasCbs ? [{ key: 'cbs', label: t('view.cbs'), numeric: true }] : []),
  ];
  const rowOf = (r: ProfileRow): Record<string, ReactNode> => {
    const name = labelOf(r.label, lang);
    const ok = r.status === 'ok' && r.value !== null;
    return {
      label: (
        <>
          {hrefForIndicator && !report ? <Link to={hrefForIndicator(r.id)}>{name}</Link> : name}
          <span className="dp-unit">
            {' '}
            ({r.unit}
            {r.period !== profile.year ? `, ${periodText(r.period)}` : ''})
          </span>
        </>
      ),
      value: ok ? (
        num(r.value, dec(r))
      ) : (
        <span className="dp-status">{valueText(r.value, r.status, dec(r), lang, t)}</span>
      ),
      municipality: num(r.municipality, dec(r)),
      difference: ok ? formatSigned(r.difference, dec(r), lang) : '',
      trend: trendText(r),
      target: targetText(r),
      rank: ok && r.rank !== null && r.of ? t('view.rankOf', { rank: r.rank, of: r.of }) : '',
      ...(hasCbs
        ? {
            cbs:
              r.cbs && r.cbs.value !== null
                ? `${num(r.cbs.value, dec(r))} (${periodText(r.cbs.period)})`
                : '',
          }
        : {}),
    };
  };

  return (
    <div className={`dp-profile${report ? ' dp-profile--report' : ''}`}>
      <Heading level={1}>{heading ?? area.name}</Heading>
      <Paragraph lead>
        {levelName}
        {parent && (
          <>
            {' '}
            {t('view.profile.in')}{' '}
            {report ? parent.name : <Link to={hrefForArea(parent.code)}>{parent.name}</Link>}
          </>
        )}
        {' · '}
        {t('view.profile.year', { year: profile.year })}
      </Paragraph>
      {intro}
      {(onYearChange || actions) && !report && (
        <div className="dp-filters dp-noprint">
          {onYearChange && years && years.length > 0 && (
            <SelectField
              label={t('view.year')}
              value={profile.year}
              onChange={(e) => onYearChange(e.target.value)}
              options={[...years].reverse().map((y) => [y, y])}
            />
          )}
          {actions}
        </div>
      )}

      <Heading level={2}>{t('view.profile.compare')}</Heading>
      {spine.length > 0 ? (
        <>
          <SpineChart title={t('view.spine.title', { name: area.name, year: profile.year })} items={spine} />
          {profile.indicators.some((r) => byId.get(r.id)?.type === 'count') && (
            <Paragraph small>{t('view.spine.noCounts')}</Paragraph>
          )}
        </>
      ) : (
        <Paragraph>
          {area.level === 'gemeente' ? t('view.spine.isMunicipality') : t('view.spine.none')}
        </Paragraph>
      )}

      <Heading level={2}>{t('view.profile.all')}</Heading>
      {profile.indicators.length === 0 && <Paragraph>{t('view.profile.empty')}</Paragraph>}
      {groups.map(({ domain, themes }) => (
        <section key={domain} aria-labelledby={`${uid}-${domain}`}>
          <Heading level={3} id={`${uid}-${domain}`}>
            {t(`view.domain.${domain}`, { defaultValue: domain })}
          </Heading>
          {themes.map(([theme, rows]) => (
            <DataTable
              key={theme}
              caption={t('view.profile.tableCaption', { theme, name: area.name, year: profile.year })}
              columns={columns}
              rows={rows.map(rowOf)}
              rowKey={(_, i) => rows[i]?.id ?? String(i)}
            />
          ))}
        </section>
      ))}
      <Paragraph small>{t('status.explain')}</Paragraph>
      <Paragraph small>{t('view.profile.rankExplain')}</Paragraph>

      {!report && (
        <>
          {(children.length > 0 || profile.similarAreas.length > 0) && (
            <>
              <Heading level={2}>{t('view.profile.related')}</Heading>
              <div className="dp-columns">
                {children.length > 0 && (
                  <section aria-labelledby={`${uid}-children`}>
                    <Heading level={3} id={`${uid}-children`}>
                      {t(area.level === 'gemeente' ? 'levels.wijk' : 'levels.buurt')}
                    </Heading>
                    <ul className="utrecht-link-list utrecht-link-list--html-ul">
                      {children.map((c) => (
                        <li key={c.code}>
                          <Link to={hrefForArea(c.code)}>{c.name}</Link>
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
                {profile.similarAreas.length > 0 && (
                  <section aria-labelledby={`${uid}-similar`}>
                    <Heading level={3} id={`${uid}-similar`}>
                      {t('view.profile.similar')}
                    </Heading>
                    <ul className="utrecht-link-list utrecht-link-list--html-ul">
                      {profile.similarAreas.map((s) => (
                        <li key={s.code}>
                          <Link to={hrefForArea(s.code)}>{s.name}</Link>
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
              </div>
            </>
          )}
          <Heading level={2}>{t('view.profile.map')}</Heading>
          <LocatorMap
            level={area.level === 'buurt' ? 'buurt' : 'wijk'}
            title={t('view.profile.mapTitle', {
              level: t(area.level === 'buurt' ? 'levels.buurt' : 'levels.wijk'),
            })}
            hrefFor={hrefForArea}
            selected={area.level === 'gemeente' ? undefined : area.code}
          />
        </>
      )}

      <Heading level={2}>{t('view.sources')}</Heading>
      <ul className="utrecht-unordered-list">
        {attributions.map((a) => (
          <li key={a} className="utrecht-unordered-list__item">
            {a}
          </li>
        ))}
        <li className="utrecht-unordered-list__item">{t('footer.cbs')}</li>
      </ul>
    </div>
  );
}
