import { geoArea, geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, type Boundaries } from '../api.js';
import { useApi } from '../hooks.js';
import { Loading } from '../nlds.js';
import { Link } from '../router.js';

const cache = new Map<string, Promise<Boundaries>>();

/** The boundaries of a level, once per page load, rings wound as d3-geo expects. */
function loadBoundaries(path: string): Promise<Boundaries> {
  let p = cache.get(path);
  if (!p) {
    p = getJson<Boundaries>(path).then((fc) => {
      for (const f of fc.features) {
        if (geoArea(f as GeoPermissibleObjects) > 2 * Math.PI) {
          const g = f.geometry;
          if (g.type === 'Polygon') g.coordinates.forEach((r) => r.reverse());
          if (g.type === 'MultiPolygon') g.coordinates.forEach((poly) => poly.forEach((r) => r.reverse()));
        }
      }
      return fc;
    });
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

/**
 * A map to find one's way, not to read figures from: the wijken or buurten as links, the current
 * area highlighted (and named in the legend). Choropleths with figures use AreaMap.
 */
export function LocatorMap({
  level,
  title,
  hrefFor,
  selected,
  width = 560,
  height = 440,
}: {
  level: 'wijk' | 'buurt';
  title: string;
  hrefFor: (code: string) => string;
  /** the area to highlight */
  selected?: string | undefined;
  width?: number;
  height?: number;
}): ReactNode {
  const { t } = useTranslation();
  const titleId = useId();
  const { data, error, loading } = useApi<Boundaries>(`/boundaries/${level}`, loadBoundaries);
  const shapes = useMemo(() => {
    if (!data) return [];
    const projection = geoMercator().fitSize([width, height], data as GeoPermissibleObjects);
    const path = geoPath(projection);
    const all = data.features.map((f) => ({ ...f.properties, d: path(f as GeoPermissibleObjects) ?? '' }));
    // the highlighted area last, so its outline is drawn on top of its neighbours
    return [...all.filter((s) => s.code !== selected), ...all.filter((s) => s.code === selected)];
  }, [data, width, height, selected]);
  const selectedName = shapes.find((s) => s.code === selected)?.name;

  return (
    <figure className="dp-map dp-locator utrecht-figure">
      <figcaption id={titleId} className="utrecht-heading-3">
        {title}
      </figcaption>
      <Loading loading={loading} error={error}>
        <svg
          viewBox={`0 0 ${width} ${height}`}
          className="dp-map__svg"
          role="group"
          aria-labelledby={titleId}
        >
          {shapes.map((s) => {
            const current = s.code === selected;
            const name = current ? `${s.name} (${t('view.map.current')})` : s.name;
            return (
              <Link
                key={s.code}
                to={hrefFor(s.code)}
                className={`dp-map__area dp-locator__area${current ? ' dp-locator__area--current' : ''}`}
                aria-label={name}
              >
                <path d={s.d}>
                  <title>{name}</title>
                </path>
              </Link>
            );
          })}
        </svg>
        {selectedName && (
          <ul className="dp-legend" aria-label={t('map.legend')}>
            <li>
              <span className="dp-legend__swatch dp-locator__swatch" aria-hidden="true" />
              {selectedName}
            </li>
          </ul>
        )}
        {data?.attribution && (
          <p className="utrecht-paragraph utrecht-paragraph--small">{data.attribution}</p>
        )}
      </Loading>
    </figure>
  );
}
