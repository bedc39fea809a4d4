import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { query, type Area, type AreaProfile, type Indicator } from '../../shared/api.js';
import { formatDate } from '../../shared/format.js';
import { useApi, useTitle, type Loaded } from '../../shared/hooks.js';
import { Button, ButtonGroup, ButtonLink, LoadingPage, Paragraph } from '../../shared/nlds.js';
import { Link } from '../../shared/router.js';
import { AreaProfileView, useAreaProfile } from '../../shared/views/AreaProfileView.js';
import { areaHref, indicatorHref, loadAreas, loadIndicators, yearsOf } from '../data.js';

/** The profile of an area for the year in `?jaar=` (default: the latest), with indicators and areas. */
function useProfile(code: string): {
  profile: Loaded<AreaProfile>;
  indicators: Loaded<Indicator[]>;
  areas: Loaded<Area[]>;
  year: string;
  setYear: (y: string) => void;
} {
  const { profile, year, setYear } = useAreaProfile('/areas', code);
  const indicators = useApi('/indicators', loadIndicators);
  const areas = useApi('/areas', loadAreas);
  return { profile, indicators, areas, year, setYear };
}

/** /gebieden/:code — the area profile (wijkprofiel), year in `?jaar=`. */
export function AreaProfilePage({ code }: { code: string }): ReactNode {
  const { t } = useTranslation();
  const { profile, indicators, areas, year, setYear } = useProfile(code);
  const name = profile.data?.area.name ?? code;
  useTitle(name, t('portal.site'));
  if (!profile.data) return <LoadingPage title={name} loading={profile.loading} error={profile.error} />;
  const p = profile.data;
  const q = query({ jaar: year });
  return (
    <AreaProfileView
      profile={p}
      indicators={indicators.data}
      areas={areas.data}
      years={yearsOf(indicators.data)}
      onYearChange={setYear}
      hrefForArea={areaHref}
      hrefForIndicator={indicatorHref}
      actions={
        <ButtonGroup>
          <ButtonLink href={`${areaHref(p.area.code)}/rapport${q}`}>{t('portal.profile.report')}</ButtonLink>
          <ButtonLink href={`/api/v1/areas/${encodeURIComponent(p.area.code)}/report.pdf${query({ year })}`}>
            {t('portal.profile.pdf')}
          </ButtonLink>
        </ButtonGroup>
      }
    />
  );
}

/**
 * /gebieden/:code/rapport — the printable area report: the whole profile as tables with the spine
 * chart, title, date and sources. Sets `document.body.dataset.ready = 'true'` once everything has
 * rendered: the PDF renderer waits for it.
 */
export function AreaReportPage({ code }: { code: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const { profile, indicators, areas, year } = useProfile(code);
  const name = profile.data?.area.name ?? code;
  const title = t('portal.report.title', { name });
  useTitle(title, t('portal.site'));
  const done = !!profile.data && !indicators.loading && !areas.loading && !profile.loading;
  const failed = !!profile.error;

  useEffect(() => {
    const body = document.body;
    if (failed) {
      body.dataset.ready = 'error';
      return;
    }
    if (!done) {
      delete body.dataset.ready;
      return;
    }
    let cancelled = false;
    // after the browser has laid out the rendered report (two frames) and the fonts are in
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        void document.fonts.ready.then(() => {
          if (!cancelled) body.dataset.ready = 'true';
        });
      }),
    );
    return () => {
      cancelled = true;
      delete body.dataset.ready;
    };
  }, [done, failed]);

  if (!profile.data) return <LoadingPage title={title} loading={profile.loading} error={profile.error} />;
  return (
    <AreaProfileView
      profile={profile.data}
      indicators={indicators.data}
      areas={areas.data}
      hrefForArea={areaHref}
      mode="report"
      heading={title}
      intro={
        <>
          <Paragraph>{t('portal.report.made', { date: formatDate(new Date(), i18n.language) })}</Paragraph>
          <div className="dp-noprint dp-report__actions">
            <ButtonGroup>
              <Button appearance="primary-action" onClick={() => window.print()}>
                {t('portal.report.print')}
              </Button>
            </ButtonGroup>
            <Paragraph>
              <Link to={`${areaHref(code)}${query({ jaar: year })}`}>{t('portal.report.back')}</Link>
            </Paragraph>
          </div>
        </>
      }
    />
  );
}
