import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { formatDateTime } from '../../shared/format.js';
import { useApi } from '../../shared/hooks.js';
import { DataList, Heading, Loading, Paragraph } from '../../shared/nlds.js';
import { Link } from '../../shared/router.js';
import { LineageGraph } from '../LineageGraph.js';
import { DIMENSIONS, type Lineage, type SourceDetail } from '../types.js';
import { indicatorHref, sourceHref } from '../data.js';
import { PageTitle, scoreText, ScoreChart, Words, YesNo } from '../ui.js';

/** One source of the catalog: its columns, privacy, quality per dimension with history, checks and lineage. */
export function SourcePage({ name }: { name: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const { data: s, error, loading } = useApi<SourceDetail>(`/internal/catalog/${encodeURIComponent(name)}`);
  const lang = i18n.language;
  return (
    <>
      {s ? <PageTitle>{s.title}</PageTitle> : <PageTitle>{t('app.source.title', { name })}</PageTitle>}
      <Paragraph>
        <Link to="/app/catalogus">{t('app.source.back')}</Link>
      </Paragraph>
      <Loading loading={loading} error={error}>
        {s && (
          <>
            {s.description && <Paragraph lead>{s.description}</Paragraph>}
            <Heading level={2}>{t('app.source.about')}</Heading>
            <DataList
              items={[
                [t('app.source.name'), <code key="n">{s.name}</code>],
                [t('app.catalog.owner'), s.owner],
                [t('app.source.steward'), s.steward ?? '—'],
                [t('app.catalog.domain'), s.domain ?? '—'],
                [t('app.catalog.access'), t(`app.access.${s.access}`)],
                [t('app.source.licence'), s.licence],
                [t('app.catalog.refresh'), t(`app.refresh.${s.refresh}`)],
                [
                  t('app.catalog.lastLoad'),
                  s.lastLoad
                    ? t('app.source.loaded', {
                        at: formatDateTime(s.lastLoad.at, lang),
                        rows: s.lastLoad.rows.toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL'),
                        quarantined: s.lastLoad.quarantined,
                      })
                    : t('app.catalog.neverLoaded'),
                ],
                [t('app.source.contentSince'), s.contentSince ? formatDateTime(s.contentSince, lang) : '—'],
                [t('app.catalog.stale'), <YesNo key="s" value={s.stale} />],
                [t('app.source.themes'), <Words key="t" items={s.themes} />],
              ]}
            />
            <Heading level={2}>{t('app.source.privacy')}</Heading>
            <DataList
              items={[
                [
                  t('app.source.legalBasis'),
                  `${t(`app.ground.${s.legalBasis.ground}`)}; ${s.legalBasis.law}${
                    s.legalBasis.exception ? `; ${s.legalBasis.exception}` : ''
                  }`,
                ],
                [t('app.source.purposes'), <Words key="p" items={s.purposes} />],
                [t('app.source.fgApproved'), <YesNo key="f" value={s.fgApproved} />],
                [t('app.source.dataSubjects'), <Words key="d" items={s.dataSubjects} />],
                [
                  t('app.source.retention'),
                  'keep' in s.retention
                    ? t('app.source.keep', { reason: s.retention.reason })
                    : t('app.source.years', { years: s.retention.years, column: s.retention.column }),
                ],
              ]}
            />
            <Heading level={2}>{t('app.source.columns')}</Heading>
            <DataTable
              caption={t('app.source.columnsCaption', { title: s.title })}
              columns={[
                { key: 'name', label: t('app.source.column') },
                { key: 'type', label: t('app.source.type') },
                { key: 'classification', label: t('app.source.classification') },
                { key: 'description', label: t('app.source.description') },
              ]}
              rows={s.columns.map((c) => ({
                name: <code>{c.name}</code>,
                type: c.type,
                classification: t(`app.classification.${c.classification}`),
                description: c.description ?? '—',
              }))}
            />
            <Quality s={s} />
            <LineageSection node={`source:${s.name}`} />
          </>
        )}
      </Loading>
    </>
  );
}

function Quality({ s }: { s: SourceDetail }): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const q = s.quality;
  const history = useMemo(() => [...q.history].reverse(), [q.history]);
  const chart = useMemo(
    () => ({
      categories: history.map((h) => formatDateTime(h.at, lang)),
      series: [
        { name: t('app.quality.score'), data: history.map((h) => h.score) },
        ...DIMENSIONS.filter((d) => history.some((h) => h.dimensions?.[d] != null)).map((d) => ({
          name: t(`app.dimension.${d}`),
          data: history.map((h) => h.dimensions?.[d] ?? null),
        })),
      ],
    }),
    [history, lang, t],
  );
  return (
    <>
      <Heading level={2}>{t('app.source.quality')}</Heading>
      <Paragraph>
        {q.score === null
          ? t('app.source.noScore')
          : t('app.source.score', {
              score: scoreText(q.score, i18n.language),
              at: formatDateTime(q.at, lang),
            })}
      </Paragraph>
      {q.dimensions && (
        <DataTable
          caption={t('app.source.dimensionsCaption')}
          columns={[
            { key: 'dimension', label: t('app.source.dimension') },
            { key: 'score', label: t('app.quality.score'), numeric: true },
          ]}
          rows={DIMENSIONS.map((d) => ({
            dimension: t(`app.dimension.${d}`),
            score:
              q.dimensions?.[d] == null
                ? t('app.source.notMeasured')
                : scoreText(q.dimensions[d], i18n.language),
          }))}
        />
      )}
      {history.length > 0 && (
        <ScoreChart
          title={t('app.source.historyTitle')}
          summary={t('app.source.historySummary', { count: history.length })}
          kind="line"
          data={chart}
        />
      )}
      <Heading level={2}>{t('app.source.checks')}</Heading>
      {q.checks.length === 0 ? (
        <Paragraph>{t('app.source.noChecks')}</Paragraph>
      ) : (
        <DataTable
          caption={t('app.source.checksCaption')}
          columns={[
            { key: 'id', label: t('app.source.check') },
            { key: 'type', label: t('app.source.type') },
            { key: 'column', label: t('app.source.column') },
            { key: 'severity', label: t('app.source.severity') },
            { key: 'status', label: t('app.source.status') },
            { key: 'failed', label: t('app.source.failed'), numeric: true },
            { key: 'message', label: t('app.source.message') },
          ]}
          rows={q.checks.map((c) => ({
            id: (
              <>
                <code>{c.id}</code>
                {c.description && <div className="utrecht-paragraph--small">{c.description}</div>}
              </>
            ),
            type: c.type,
            column: c.column ?? '—',
            severity: t(`app.severity.${c.severity}`, { defaultValue: c.severity }),
            status: c.last ? (
              <span className={`dp-check dp-check--${c.last.status}`}>
                {t(`app.checkStatus.${c.last.status}`, { defaultValue: c.last.status })}
              </span>
            ) : (
              t('app.source.notRun')
            ),
            failed: c.last ? `${c.last.failed} / ${c.last.evaluated}` : '—',
            message: c.last?.message ?? '—',
          }))}
        />
      )}
    </>
  );
}

type Node = Lineage['nodes'][number];

/** Everything reachable from `start` along `next`, with its distance. */
function reach(start: string, next: Map<string, string[]>): Map<string, number> {
  const seen = new Map<string, number>();
  let frontier = [start];
  for (let depth = 1; frontier.length > 0; depth++) {
    const following: string[] = [];
    for (const id of frontier)
      for (const n of next.get(id) ?? [])
        if (!seen.has(n) && n !== start) {
          seen.set(n, depth);
          following.push(n);
        }
    frontier = following;
  }
  return seen;
}

/** The lineage around a node (`source:x`, `indicator:y`): what it reads (upstream) and what reads it (downstream), as lists. */
export function LineageSection({ node }: { node: string }): ReactNode {
  const { t } = useTranslation();
  const { data, error, loading } = useApi<Lineage>('/internal/lineage');
  const around = useMemo(() => {
    if (!data) return null;
    const down = new Map<string, string[]>();
    const up = new Map<string, string[]>();
    for (const e of data.edges) {
      down.set(e.from, [...(down.get(e.from) ?? []), e.to]);
      up.set(e.to, [...(up.get(e.to) ?? []), e.from]);
    }
    const byId = new Map(data.nodes.map((n) => [n.id, n]));
    const id = node;
    const list = (m: Map<string, number>): Array<Node & { depth: number }> =>
      [...m]
        .map(([n, depth]) => ({ ...(byId.get(n) as Node), depth }))
        .filter((n) => n.name !== undefined)
        .sort((a, b) => a.depth - b.depth || a.label.localeCompare(b.label, 'nl'));
    const self = byId.get(id);
    return { self, upstream: list(reach(id, up)), downstream: list(reach(id, down)) };
  }, [data, node]);
  return (
    <section aria-labelledby="lineage">
      <Heading level={2} id="lineage">
        {t('app.lineage.title')}
      </Heading>
      <Paragraph>{t('app.lineage.lead')}</Paragraph>
      <Loading loading={loading} error={error}>
        {around && data && (
          <div
            className="dp-lineage-graph__frame"
            tabIndex={0}
            role="region"
            aria-label={t('app.lineage.title')}
          >
            <LineageGraph
              center={node}
              nodes={[...(around.self ? [around.self] : []), ...around.upstream, ...around.downstream]}
              edges={data.edges}
              summary={t('app.lineage.graph', {
                name: around.self?.label ?? node,
                up: around.upstream.length,
                down: around.downstream.length,
              })}
            />
          </div>
        )}
        {around && (
          <div className="dp-columns">
            <div>
              <Heading level={3}>{t('app.lineage.upstream')}</Heading>
              <NodeList nodes={around.upstream} empty={t('app.lineage.noUpstream')} />
            </div>
            <div>
              <Heading level={3}>{t('app.lineage.downstream')}</Heading>
              <NodeList nodes={around.downstream} empty={t('app.lineage.noDownstream')} />
            </div>
          </div>
        )}
      </Loading>
    </section>
  );
}

function NodeList({ nodes, empty }: { nodes: Array<Node & { depth: number }>; empty: string }): ReactNode {
  const { t } = useTranslation();
  if (nodes.length === 0) return <Paragraph>{empty}</Paragraph>;
  const href = (n: Node): string | null =>
    n.kind === 'source' ? sourceHref(n.name) : n.kind === 'indicator' ? indicatorHref(n.name) : null;
  return (
    <ul className="dp-lineage">
      {nodes.map((n) => {
        const to = href(n);
        return (
          <li key={n.id}>
            <span className={`dp-kind dp-kind--${n.kind}`}>{t(`app.lineage.kind.${n.kind}`)}</span>{' '}
            {to ? <Link to={to}>{n.label}</Link> : n.label}{' '}
            <span className="utrecht-paragraph--small">
              ({n.depth === 1 ? t('app.lineage.direct') : t('app.lineage.steps', { count: n.depth })})
            </span>
          </li>
        );
      })}
    </ul>
  );
}
