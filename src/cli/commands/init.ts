import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keyFilePath, writeKeyFile } from '../../privacy/keys.js';
import { CliError, EXIT } from '../errors.js';

const FILES: Record<string, string> = {
  'pakhuis.yaml': `# Datapakhuis project: definitions as code. See docs/project-format.md.
version: 1
municipality:
  code: GM0400          # CBS gemeente code
  name: Den Helder
engine:
  type: duckdb
  path: .pakhuis/warehouse
paths:
  data: data            # input files of the file connectors
  state: .pakhuis       # run history, audit log, vault and the archive of loaded files
privacy:
  controller: College van B&W van de gemeente Den Helder
  # The pseudonymisation key: $PAKHUIS_PSEUDONYM_KEY, or else this file (outside the project!)
  key: { env: PAKHUIS_PSEUDONYM_KEY, file: ~/.config/datapakhuis/GM0400.key }
  k: 5
roles:
  beheerder: { description: IT-beheer, admin: true, members: ['*'] }
  analist: { description: BI-team, purposes: [beleidsinformatie], members: ['*'] }
  fg: { description: Functionaris gegevensbescherming, audit: true, members: ['*'] }
`,
  'sources/meldingen.yaml': `title: Meldingen openbare ruimte
description: Voorbeeldbron — meldingen van bewoners, per buurt.
owner: Team Openbare Ruimte
refresh: weekly
privacy:
  legal_basis: { ground: e, law: Gemeentewet art. 160 (beheer openbare ruimte) }
  purposes: [beleidsinformatie]
  data_subjects: [melders]
  fg_approval: { by: FG gemeente Den Helder, date: 2024-01-15 }
  retention: { years: 5, column: datum }
connector:
  type: csv
  path: meldingen.csv
  delimiter: ';'
  decimal: ','
  thousands: '.'
  date_format: dd-mm-jjjj
  max_bad_rows: 1%
columns:
  melding_id: { type: integer, classification: none, header: Melding ID, required: true }
  datum: { type: date, classification: none, header: Datum, required: true }
  categorie: { type: text, classification: none, header: Categorie, values: [afval, verlichting, groen, wegdek] }
  buurtcode: { type: text, classification: none, header: Buurtcode, pattern: '^BU\\d{8}$' }
  kosten: { type: decimal, classification: none, header: Kosten }
`,
  'data/meldingen.csv': `Melding ID;Datum;Categorie;Buurtcode;Kosten\r
1;03-01-2025;afval;BU04000101;12,50\r
2;17-02-2025;verlichting;BU04000101;80,00\r
3;05-03-2025;groen;BU04000202;\r
4;21-03-2025;wegdek;BU04000202;1.250,75\r
`,
  'models/meldingen_per_buurt.sql': `-- Number of reports and their cost per buurt.
select buurtcode, count(*) as aantal_meldingen, sum(kosten) as kosten
from ref('meldingen')
group by buurtcode
`,
  '.gitignore': `.pakhuis/\n`,
};

/** Scaffold a project folder that checks and builds as it is (a key file is made when none is set). */
export function runInit(dir: string): string {
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    throw new CliError(`${root} is not empty; init writes only into a new or empty folder`, EXIT.usage);
  }
  for (const [rel, content] of Object.entries(FILES)) {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
  let keyNote = '';
  if (!process.env['PAKHUIS_PSEUDONYM_KEY']) {
    writeKeyFile('~/.config/datapakhuis/GM0400.key');
    keyNote = `\nThe pseudonymisation key is in ${keyFilePath('~/.config/datapakhuis/GM0400.key')} (outside the project; keep it safe).`;
  }
  return `Created a project in ${root}:\n${Object.keys(FILES)
    .map((f) => `  ${f}`)
    .join('\n')}\nNext: pakhuis check --project ${dir} && pakhuis build --project ${dir}${keyNote}`;
}
