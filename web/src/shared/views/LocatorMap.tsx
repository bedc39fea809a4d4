import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useShapes } from '../boundaries.js';
import { MapFigure } from '../MapFigure.js';
import { Link } from '../router.js';

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
  const map = useShapes(level, width, height);
  const all = map.shapes;
  // the highlighted area last, so its outline is drawn on top of its neighbours
  const shapes = useMemo(
    () => [...all.filter((s) => s.code !== selected), ...all.filter((s) => s.code === selected)],
    [all, selected],
  );
  const selectedName = shapes.find((s) => s.code === selected)?.name;

  return (
    <MapFigure
      className="dp-map dp-locator utrecht-figure"
      title={title}
      map={map}
      legend={
        selectedName && (
          <ul className="dp-legend" aria-label={t('map.legend')}>
            <li>
              <span className="dp-legend__swatch dp-locator__swatch" aria-hidden="true" />
              {selectedName}
            </li>
          </ul>
        )
      }
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
    </MapFigure>
  );
}
