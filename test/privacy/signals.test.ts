import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/commands/check.js';
import { protectedSignalInputs } from '../../src/privacy/signals.js';
import { build, mustLoad, TEST_PRIVACY, writeProject } from '../helpers/project.js';

const SOURCE = `title: Inwoners
owner: Team Test
domain: sociaal
${TEST_PRIVACY}connector: { type: csv, path: p.csv }
columns:
  bsn: { type: text, classification: identifier, identifier: bsn }
  buurtcode: { type: text, classification: none }
  nationaliteit: { type: text, classification: protected }
  schulden: { type: integer, classification: none }
`;
const signal = 'signal: true\n';

function project(models: Record<string, string>): string {
  return writeProject({
    'data/p.csv':
      'bsn,buurtcode,nationaliteit,schulden\n111222333,BU04000101,NL,3\n123456782,BU04000102,TR,0\n',
    'sources/inwoners.yaml': SOURCE,
    ...models,
  });
}

describe('protected columns never feed a signal', () => {
  it('finds a protected column in a filter, through an intermediate model, and passed through by select *', async () => {
    const dir = project({
      // a filter on nationality: the signal selects people by it
      'models/signaal_filter.sql':
        "select bsn from ref('inwoners') where nationaliteit <> 'NL' and schulden > 2",
      'models/signaal_filter.yaml': signal,
      // an intermediate, non-signal model scores by nationality; the signal reads the score
      'models/score.sql':
        "select bsn, schulden + case when nationaliteit = 'NL' then 0 else 1 end as punten from ref('inwoners')",
      'models/signaal_via.sql': "select bsn from ref('score') where punten > 2",
      'models/signaal_via.yaml': signal,
      // everything, nationality included, passed on
      'models/signaal_alles.sql': "select * from ref('inwoners') where schulden > 2",
      'models/signaal_alles.yaml': signal,
      // clean: debts only
      'models/signaal_schulden.sql': "select bsn, buurtcode from ref('inwoners') where schulden > 2",
      'models/signaal_schulden.yaml': signal,
      // not a signal: statistics by nationality per buurt may have a legal basis of their own
      'models/statistiek.sql':
        "select buurtcode, nationaliteit, count(*) as n from ref('inwoners') group by all",
    });
    const uses = await protectedSignalInputs(mustLoad(dir));
    expect(uses.map((u) => [u.model, `${u.source}.${u.column}`])).toEqual([
      ['signaal_alles', 'inwoners.nationaliteit'],
      ['signaal_filter', 'inwoners.nationaliteit'],
      ['signaal_via', 'inwoners.nationaliteit'],
    ]);
    expect(uses.find((u) => u.model === 'signaal_via')?.how).toMatch(/reads a model that needs the column/);
    expect(uses.find((u) => u.model === 'signaal_alles')?.how).toMatch(/output carries the column/);
    await expect(runCheck(dir, false)).rejects.toThrow(
      /models\/signaal_filter\.yaml: signal model signaal_filter uses protected column inwoners\.nationaliteit/,
    );
    const summary = await build(dir);
    const status = Object.fromEntries(summary.steps.map((s) => [s.node, s.status]));
    expect(status).toMatchObject({
      signaal_filter: 'failed',
      signaal_via: 'failed',
      signaal_alles: 'failed',
      signaal_schulden: 'success',
      statistiek: 'success',
      score: 'success',
    });
  }, 60_000);
});
