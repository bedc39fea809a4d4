import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../shared/DataTable.js';
import { useApi } from '../../shared/hooks.js';
import { DataList, Heading, Loading, Paragraph } from '../../shared/nlds.js';
import { Link } from '../../shared/router.js';
import type { Processing } from '../types.js';
import { PageTitle, Words } from '../ui.js';

/** The processing register (AVG art. 30): per purpose the sources, grounds, data and measures. */
export function RegisterPage(): ReactNode {
  const { t } = useTranslation();
  const { data, error, loading } = useApi<{ processings: Processing[] }>('/internal/register');
  const list = data?.processings ?? [];
  return (
    <>
      <PageTitle>{t('app.register.title')}</PageTitle>
      <Paragraph lead>{t('app.register.lead')}</Paragraph>
      <Loading loading={loading} error={error}>
        {list.length > 0 && (
          <nav aria-label={t('app.register.contents')}>
            <ul className="utrecht-link-list utrecht-link-list--html-ul">
              {list.map((p) => (
                <li key={p.purpose}>
                  <a className="utrecht-link" href={`#doel-${p.purpose}`}>
                    {p.purpose}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {list.map((p) => (
          <section key={p.purpose} aria-labelledby={`doel-${p.purpose}`}>
            <Heading level={2} id={`doel-${p.purpose}`}>
              {t('app.register.purpose', { purpose: p.purpose })}
            </Heading>
            <DataList
              items={[
                [t('app.register.controller'), p.controller],
                [t('app.register.fgContact'), p.fgContact ?? '—'],
                [t('app.register.legalBases'), <Words key="l" items={p.legalBases} />],
                [t('app.source.dataSubjects'), <Words key="d" items={p.dataSubjects} />],
                [t('app.register.personalData'), <Words key="p" items={p.personalDataCategories} />],
                [t('app.register.special'), <Words key="s" items={p.specialCategories} />],
                [t('app.register.recipients'), <Words key="r" items={p.recipients} />],
                [t('app.register.links'), <Words key="k" items={p.domainLinks} />],
                [t('app.register.measures'), <Words key="m" items={p.measures} />],
                [
                  t('app.register.dpia'),
                  p.dpia.required
                    ? t('app.register.dpiaRequired', { reasons: p.dpia.reasons.join('; ') })
                    : t('app.register.dpiaNotRequired'),
                ],
              ]}
            />
            <DataTable
              caption={t('app.register.sourcesCaption', { purpose: p.purpose })}
              columns={[
                { key: 'title', label: t('app.catalog.source') },
                { key: 'owner', label: t('app.catalog.owner') },
                { key: 'legalBasis', label: t('app.source.legalBasis') },
                { key: 'retention', label: t('app.source.retention') },
                { key: 'personalData', label: t('app.register.personalData') },
                { key: 'fgApproval', label: t('app.register.fgApproval') },
              ]}
              rows={p.sources.map((s) => ({
                title: <Link to={`/app/catalogus/${encodeURIComponent(s.name)}`}>{s.title}</Link>,
                owner: s.owner,
                legalBasis: s.legalBasis,
                retention: s.retention,
                personalData: <Words items={[...s.personalData, ...s.specialCategories]} />,
                fgApproval: s.fgApproval ?? '—',
              }))}
            />
          </section>
        ))}
      </Loading>
    </>
  );
}
