import type { ReactNode } from 'react';

export interface Column {
  key: string;
  label: string;
  /** right-aligned, tabular figures */
  numeric?: boolean;
}

/** An accessible table (caption, column headers with scope; the first column heads its row). */
export function DataTable({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: ReactNode;
  columns: Column[];
  rows: Array<Record<string, ReactNode>>;
  rowKey?: (row: Record<string, ReactNode>, index: number) => string;
}): ReactNode {
  return (
    <div
      className="utrecht-table-container utrecht-table-container--overflow-inline"
      tabIndex={0}
      role="region"
      aria-label={typeof caption === 'string' ? caption : undefined}
    >
      <table className="utrecht-table utrecht-table--html-table utrecht-table--alternate-row-color">
        <caption className="utrecht-table__caption">{caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={`utrecht-table__header-cell${c.numeric ? ' utrecht-table__header-cell--numeric' : ''}`}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.map((row, i) => (
            <tr className="utrecht-table__row" key={rowKey ? rowKey(row, i) : i}>
              {columns.map((c, j) =>
                j === 0 ? (
                  <th key={c.key} scope="row" className="utrecht-table__header-cell">
                    {row[c.key]}
                  </th>
                ) : (
                  <td
                    key={c.key}
                    className={`utrecht-table__cell${c.numeric ? ' utrecht-table__cell--numeric' : ''}`}
                  >
                    {row[c.key]}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
