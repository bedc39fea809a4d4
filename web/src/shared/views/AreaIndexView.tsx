import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Area } from '../api.js';
import { Heading, Paragraph } from '../nlds.js';
import { Link } from '../router.js';
import { LocatorMap } from './LocatorMap.js';

export interface AreaIndexViewProps {
  /** every area the reader may see (gemeente, wijken, buurten) */
  areas: Area[];
  hrefForArea: (code: string) => string;
  /** the h1 */
  title: string;
  intro?: ReactNode;
}

/** The areas: the municipality, each wijk with its buurten as links, and a wijk map linking to them. */
export function AreaIndexView({ areas, hrefForArea, title, intro }: AreaIndexViewProps): ReactNode {
  const { t } = useTranslation();
  const uid = useId();
  const byName = (a: Area, b: Area): number => a.name.localeCompare(b.name, 'nl');
  const municipalities = areas.filter((a) => a.level === 'gemeente');
  const wijken = areas.filter((a) => a.level === 'wijk').sort((a, b) => a.code.localeCompare(b.code));
  const buurten = areas.filter((a) => a.level === 'buurt');
  const orphans = buurten.filter((b) => !wijken.some((w) => w.code === b.parent)).sort(byName);

  return (
    <>
      <Heading level={1}>{title}</Heading>
      {intro}
      {municipalities.length > 0 && (
        <Paragraph>
          {municipalities.map((m) => (
            <Link key={m.code} to={hrefForArea(m.code)}>
              {t('view.areas.municipality', { name: m.name })}
            </Link>
          ))}
        </Paragraph>
      )}
      <div className="dp-columns">
        <section aria-labelledby={`${uid}-list`}>
          <Heading level={2} id={`${uid}-list`}>
            {t('view.areas.list')}
          </Heading>
          <ul className="dp-area-list">
            {wijken.map((w) => {
              const own = buurten.filter((b) => b.parent === w.code).sort(byName);
              return (
                <li key={w.code}>
                  <Link
                    to={hrefForArea(w.code)}
                    className="utrecht-link utrecht-link--html-a dp-area-list__wijk"
                  >
                    {w.name}
                  </Link>
                  {own.length > 0 && (
                    <ul aria-label={t('view.areas.buurtenOf', { name: w.name })}>
                      {own.map((b) => (
                        <li key={b.code}>
                          <Link to={hrefForArea(b.code)}>{b.name}</Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
            {orphans.map((b) => (
              <li key={b.code}>
                <Link to={hrefForArea(b.code)}>{b.name}</Link>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby={`${uid}-map`}>
          <Heading level={2} id={`${uid}-map`}>
            {t('view.areas.map')}
          </Heading>
          <LocatorMap level="wijk" title={t('view.areas.mapTitle')} hrefFor={hrefForArea} />
        </section>
      </div>
    </>
  );
}
