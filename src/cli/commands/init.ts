import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  state: .pakhuis       # run history and the archive of loaded files
`,
  'sources/meldingen.yaml': `title: Meldingen openbare ruimte
description: Voorbeeldbron — meldingen van bewoners, per buurt.
owner: Team Openbare Ruimte
refresh: weekly
connector:
  type: csv
  path: meldingen.csv
  delimiter: ';'
  decimal: ','
  thousands: '.'
  date_format: dd-mm-jjjj
  max_bad_rows: 1%
columns:
  melding_id: { type: integer, header: Melding ID, required: true }
  datum: { type: date, header: Datum, required: true }
  categorie: { type: text, header: Categorie, values: [afval, verlichting, groen, wegdek] }
  buurtcode: { type: text, header: Buurtcode, pattern: '^BU\\d{8}$' }
  kosten: { type: decimal, header: Kosten }
`,
  'data/meldingen.csv': `Melding ID;Datum;Categorie;Buurtcode;Kosten\r
1;03-01-2024;afval;BU04000101;12,50\r
2;17-02-2024;verlichting;BU04000101;80,00\r
3;05-03-2024;groen;BU04000202;\r
4;21-03-2024;wegdek;BU04000202;1.250,75\r
`,
  'models/meldingen_per_buurt.sql': `-- Number of reports and their cost per buurt.
select buurtcode, count(*) as aantal_meldingen, sum(kosten) as kosten
from ref('meldingen')
group by buurtcode
`,
  '.gitignore': `.pakhuis/\n`,
};

/** Scaffold a project folder that checks and builds as it is. */
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
  return `Created a project in ${root}:\n${Object.keys(FILES)
    .map((f) => `  ${f}`)
    .join('\n')}\nNext: pakhuis check --project ${dir} && pakhuis build --project ${dir}`;
}
