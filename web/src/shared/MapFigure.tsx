import { useId, type ReactNode } from 'react';
import type { Shapes } from './boundaries.js';
import { Loading } from './nlds.js';

/**
 * The frame of a map of areas: a figure with its caption, the SVG (the areas are `children`, the
 * SVG is labelled by the caption), the legend and the boundaries' attribution; while the
 * boundaries load, a message.
 */
export function MapFigure({
  className,
  title,
  map,
  legend,
  children,
}: {
  className: string;
  title: string;
  /** the boundaries and the box they are drawn in (useShapes) */
  map: Shapes;
  legend: ReactNode;
  children: ReactNode;
}): ReactNode {
  const titleId = useId();
  const { data, error, loading, width, height } = map;
  return (
    <figure className={className}>
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
          {children}
        </svg>
        {legend}
        {data?.attribution && (
          <p className="utrecht-paragraph utrecht-paragraph--small">{data.attribution}</p>
        )}
      </Loading>
    </figure>
  );
}
