import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../shared/api.js';
import { formatNumber, formatSigned, labelOf, periodText } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { Alert, Heading, Loading, Paragraph } from '../../shared/nlds.js';
import { Link } from '../../shared/router.js';
import { useSession } from '../session.js';
import { allowedFor, loadSourcePurposes } from '../data.js';
import type { InternalIndicator, RestrictedValues } from '../types.js';
import { direction, PageTitle } from '../ui.js';

interface Tile {
  indicator: InternalIndicator;
  /** the gemeente's values, oldest first; null when the purpose does not allow them */
  values: RestrictedValues['values'] | null;
  refused: string | null;
}

/**
 * The indicators with a target, each with the gemeente's values for the purpose (after `#` in the
 * key): a refusal counts per indicator, not for the page. Without a purpose nothing is read, and an
 * indicator whose sources are not declared for the purpose is not asked for.
 */
async function loadTiles(key: string, signal: AbortSignal): Promise<Tile[]> {
  const [path, purpose = ''] = key.split('#') as [string, string?];
  const [{ indicators }, purposes] = await Promise.all([
    getJson<{ indicators: InternalIndicator[] }>(path, signal),
    loadSourcePurposes('/internal/catalog'),
  ]);
  const targeted = indicators.filter((i) => i.target !== null);
  const settled = await Promise.allSettled(
    targeted.map((i) =>
      allowedFor(i, purpose, purposes)
        ? getJson<RestrictedValues>(
            `/internal/indicators/${encodeURIComponent(i.id)}/values?level=gemeente`,
            signal,
          )
        : Promise.reject(new ApiError({ status: 403, title: 'Forbidden' })),
    ),
  );
  return targeted.map((indicator, n) => {
    const r = settled[n] as PromiseSettledResult<RestrictedValues>;
    if (r.status === 'rejected') {
      if (r.reason instanceof ApiError && r.reason.status === 403)
        return { indicator, values: null, refused: r.reason.message };
      throw r.reason;
    }
    const values = [...r.value.values].sort((a, b) => a.period.localeCompare(b.period));
    return { indicator, values, refused: null };
  });
}

/** The start page: the kadernota's indicators with a target, where the gemeente stands. */
export function HomePage(): ReactNode {
  const { t } = useTranslation();
  const { role, purpose } = useSession();
  const canRead = (role?.purposes.length ?? 0) > 0;
  const { data, error, loading } = useApi(`/internal/indicators#${purpose}`, loadTiles);
  return (
    <>
      <PageTitle>{t('app.home.title')}</PageTitle>
      <Paragraph lead>{t('app.home.lead')}</Paragraph>
      {canRead ? (
        <Paragraph small>{t('app.home.purpose', { purpose })}</Paragraph>
      ) : (
        <Alert type="info">{t('app.home.noPurpose')}</Alert>
      )}
      <Loading loading={loading} error={error}>
        {data && data.length === 0 && <Paragraph>{t('app.home.none')}</Paragraph>}
        <ul className="dp-grid dp-tiles">
          {data?.map((tile) => (
            <IndicatorTile key={tile.indicator.id} tile={tile} purpose={purpose} />
          ))}
        </ul>
      </Loading>
    </>
  );
}

function IndicatorTile({ tile, purpose }: { tile: Tile; purpose: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const { indicator: i, values, refused } = tile;
  const lang = i18n.language;
  const target = i.target as { value: number; year: number | null };
  const ok = (values ?? []).filter((v) => v.status === 'ok' && v.value !== null);
  const latest = ok.at(-1);
  const previous = ok.at(-2);
  const fmt = (v: number): string => formatNumber(v, i.decimals, lang);
  const unit = i.unit ? ` ${i.unit}` : '';

  let status: 'met' | 'notMet' | 'unknown' = 'unknown';
  if (latest && latest.value !== null && i.polarity !== 'neutral')
    status = (i.polarity === 'higher_is_better' ? latest.value >= target.value : latest.value <= target.value)
      ? 'met'
      : 'notMet';
  const change = latest && previous ? (latest.value as number) - (previous.value as number) : null;
  const dir = change === null ? null : direction(change, i.polarity);

  return (
    <li className={`dp-tile dp-tile--${status}`}>
      <Heading level={2}>
        <Link to={`/app/indicatoren/${encodeURIComponent(i.id)}`}>{labelOf(i.label, lang)}</Link>
      </Heading>
      {refused !== null ? (
        <Paragraph small>{purpose ? t('app.home.refused') : t('app.home.noValues')}</Paragraph>
      ) : latest ? (
        <>
          <p className="dp-tile__value">
            {fmt(latest.value as number)}
            {unit && <span className="dp-tile__unit">{unit}</span>}
          </p>
          <Paragraph small>{t('app.home.period', { period: periodText(latest.period) })}</Paragraph>
        </>
      ) : (
        <Paragraph small>{t('app.home.noValue')}</Paragraph>
      )}
      <dl className="dp-tile__facts">
        <dt>{t('app.home.target')}</dt>
        <dd>
          {fmt(target.value)}
          {unit}
          {target.year !== null ? ` (${target.year})` : ''} — {t(`polarity.${i.polarity}`)}
        </dd>
        <dt>{t('app.home.status')}</dt>
        <dd>
          <span className={`dp-status dp-status--${status}`}>
            {t(status === 'met' ? 'target.met' : status === 'notMet' ? 'target.notMet' : 'target.unknown')}
          </span>
        </dd>
        <dt>{t('app.home.trend')}</dt>
        <dd>
          {change === null || !previous ? (
            t('app.home.noTrend')
          ) : (
            <span className={dir === 'better' ? 'dp-better' : dir === 'worse' ? 'dp-worse' : undefined}>
              {t('app.home.change', {
                change: formatSigned(change, i.decimals, lang),
                period: periodText(previous.period),
              })}
              {dir && dir !== 'neutral' ? ` (${t(`trend.${dir}`)})` : ''}
            </span>
          )}
        </dd>
      </dl>
    </li>
  );
}
