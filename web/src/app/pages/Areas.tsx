import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Area } from '../../shared/api.js';
import { labelOf } from '../../shared/format.js';
import { useApi, useTitle } from '../../shared/hooks.js';
import { Heading, LoadingPage, Paragraph } from '../../shared/nlds.js';
import { AreaIndexView } from '../../shared/views/AreaIndexView.js';
import { AreaProfileView, useAreaProfile } from '../../shared/views/AreaProfileView.js';
import { useSession } from '../session.js';
import { areaHref, indicatorHref, loadAreas, loadIndicators, loadPublished, yearsOf } from '../data.js';

/** The areas the role may see: a wijk-scoped role its wijken, their buurten and the gemeente. */
function inScope(areas: Area[], wijken: string[] | null | undefined): Area[] {
  if (!wijken || wijken.length === 0) return areas;
  return areas.filter(
    (a) =>
      a.level === 'gemeente' || wijken.includes(a.code) || (a.parent !== null && wijken.includes(a.parent)),
  );
}

/** /app/gebieden — the areas, each linking to its internal profile. */
export function AreasPage(): ReactNode {
  const { t } = useTranslation();
  const { session } = useSession();
  useTitle(t('app.areas.title'), t('app.site'));
  const areas = useApi('/areas', loadAreas);
  const shown = useMemo(() => inScope(areas.data ?? [], session?.wijken), [areas.data, session?.wijken]);
  if (!areas.data)
    return <LoadingPage title={t('app.areas.title')} loading={areas.loading} error={areas.error} />;
  return (
    <AreaIndexView
      areas={shown}
      hrefForArea={areaHref}
      title={t('app.areas.title')}
      intro={
        <Paragraph lead>
          {session?.wijken && session.wijken.length > 0
            ? t('app.areas.leadScoped', { wijken: session.wijken.join(', ') })
            : t('app.areas.lead')}
        </Paragraph>
      }
    />
  );
}

/** /app/gebieden/:code — the restricted area profile for the purpose, and what the purpose leaves out. */
export function AreaPage({ code }: { code: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const { purpose } = useSession();
  const { profile, setYear } = useAreaProfile('/internal/areas', code);
  const indicators = useApi('/internal/indicators', loadIndicators);
  const published = useApi('/indicators', loadPublished);
  const areas = useApi('/areas', loadAreas);
  const name = profile.data?.area.name ?? code;
  useTitle(name, t('app.site'));
  if (!profile.data) return <LoadingPage title={name} loading={profile.loading} error={profile.error} />;
  const p = profile.data;
  const byId = new Map((indicators.data ?? []).map((i) => [i.id, i]));
  const notShown = p.notShown ?? [];
  return (
    <>
      <AreaProfileView
        profile={p}
        indicators={indicators.data}
        areas={areas.data}
        years={yearsOf(published.data)}
        onYearChange={setYear}
        hrefForArea={areaHref}
        hrefForIndicator={indicatorHref}
        intro={<Paragraph small>{t('app.areas.restricted', { purpose })}</Paragraph>}
      />
      <section aria-labelledby="niet-getoond">
        <Heading level={2} id="niet-getoond">
          {t('app.areas.notShown')}
        </Heading>
        {notShown.length === 0 ? (
          <Paragraph>{t('app.areas.allShown')}</Paragraph>
        ) : (
          <>
            <Paragraph>{t('app.areas.notShownLead', { count: notShown.length, purpose })}</Paragraph>
            <ul className="utrecht-unordered-list dp-notshown">
              {notShown.map((n) => {
                const i = byId.get(n.id);
                return (
                  <li key={n.id}>
                    <strong>{i ? labelOf(i.label, i18n.language) : n.id}</strong>: {n.reason}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
