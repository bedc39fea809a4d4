import type { ReactNode } from 'react';
import type { Lineage } from './types.js';

type Node = Lineage['nodes'][number];

const KINDS: Array<Node['kind']> = ['source', 'model', 'indicator', 'publication'];
const COLOURS: Record<Node['kind'], string> = {
  source: '#1f5fa6',
  model: '#5a5a5a',
  indicator: '#2e7d32',
  publication: '#b4480c',
};
const COL = 230;
const ROW = 30;
const BOX_W = 200;
const BOX_H = 22;

/**
 * The lineage around one node as a diagram: a column per kind (sources → models → indicators →
 * publications), the edges between the nodes shown, the node itself outlined. The lists beside it
 * are the text alternative, so the drawing is one image with a summary for screen readers.
 */
export function LineageGraph({
  center,
  nodes,
  edges,
  summary,
}: {
  center: string;
  nodes: Node[];
  edges: Lineage['edges'];
  summary: string;
}): ReactNode {
  const columns = KINDS.map((k) =>
    nodes.filter((n) => n.kind === k).sort((a, b) => a.label.localeCompare(b.label, 'nl')),
  ).filter((c) => c.length > 0);
  const at = new Map<string, { x: number; y: number }>();
  columns.forEach((col, i) => col.forEach((n, j) => at.set(n.id, { x: 8 + i * COL, y: 8 + j * ROW })));
  const height = 16 + Math.max(...columns.map((c) => c.length)) * ROW;
  const width = 16 + columns.length * COL - (COL - BOX_W);
  const shown = edges.filter((e) => at.has(e.from) && at.has(e.to));
  const clip = (s: string): string => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
  return (
    <svg
      className="dp-lineage-graph"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={summary}
    >
      {shown.map((e) => {
        const a = at.get(e.from) as { x: number; y: number };
        const b = at.get(e.to) as { x: number; y: number };
        const x1 = a.x + BOX_W;
        const y1 = a.y + BOX_H / 2;
        const x2 = b.x;
        const y2 = b.y + BOX_H / 2;
        const mid = (x1 + x2) / 2;
        return (
          <path
            key={`${e.from}>${e.to}`}
            d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
            fill="none"
            stroke="#767676"
            strokeWidth={1}
          />
        );
      })}
      {nodes.map((n) => {
        const p = at.get(n.id);
        if (!p) return null;
        const me = n.id === center;
        return (
          <g key={n.id}>
            <rect
              x={p.x}
              y={p.y}
              width={BOX_W}
              height={BOX_H}
              rx={3}
              fill="#fff"
              stroke={COLOURS[n.kind]}
              strokeWidth={me ? 3 : 1.5}
            />
            <text x={p.x + 6} y={p.y + 15} fontSize={12} fill="#1f1f1f" fontWeight={me ? 700 : 400}>
              {clip(n.label)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
