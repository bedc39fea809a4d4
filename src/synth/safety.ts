/**
 * Police incidents (with free-text descriptions) and public-space reports (meldingen openbare
 * ruimte) over 2019–2024, and the planted undermining pattern "repeated incidents at an address".
 */
import { WijkSampler, type Point } from './areas.js';
import { REF_DAY, dayOf, type Day } from './dates.js';
import { dwellingAt, firstDay, lastDay, type Dwelling, type Household, type World } from './model.js';
import { residentsAtRef } from './population.js';
import { cumulative, drawCumulative, type Rng } from './random.js';

export interface Incident {
  nr: string;
  day: Day;
  minute: number;
  categorie: string;
  /** Street used in the free-text description (written by {@link describeIncident}). */
  street: string;
  pt: Point;
  dwelling: Dwelling | null;
  planted: boolean;
}

export interface Melding {
  id: string;
  day: Day;
  categorie: string;
  pt: Point;
  status: string;
}

export interface RepeatSite {
  dwelling: Dwelling;
  incidents: Incident[];
  reason: string;
}

export interface SafetyData {
  incidents: Incident[];
  meldingen: Melding[];
  repeatSites: RepeatSite[];
}

type Where = 'home' | 'public' | 'shop' | 'mixed';

/** [categorie, per 1,000 inhabitants per year (Den Helder ~2019, see CALIBRATION.md), where]. */
const INCIDENT_TYPES: readonly (readonly [string, number, Where])[] = [
  ['Woninginbraak', 1.3, 'home'],
  ['Diefstal uit/vanaf motorvoertuig', 3, 'public'],
  ['Fietsendiefstal', 2.5, 'public'],
  ['Winkeldiefstal', 2.2, 'shop'],
  ['Overige diefstal', 6, 'public'],
  ['Vernieling', 9, 'public'],
  ['Mishandeling', 4.3, 'mixed'],
  ['Bedreiging', 3.2, 'mixed'],
  ['Huiselijk geweld', 5, 'home'],
  ['Burenruzie', 8, 'home'],
  ['Geluidsoverlast', 12, 'home'],
  ['Overlast jeugd', 15, 'public'],
  ['Overlast verward persoon', 10, 'mixed'],
  ['Drugsoverlast', 4, 'mixed'],
  ['Verkeersongeval', 12, 'public'],
  ['Verkeersoverlast', 10, 'public'],
  ['Inbraakalarm', 8, 'home'],
  ['Hulpverlening', 60, 'mixed'],
  ['Openbare orde overig', 25, 'public'],
  ['Toezicht en controle', 40, 'public'],
  ['Overig', 26, 'mixed'],
];
const INCIDENT_YEAR: Record<number, number> = {
  2019: 1.0,
  2020: 1.06,
  2021: 1.02,
  2022: 0.97,
  2023: 0.96,
  2024: 0.95,
};

const REPEAT_TYPES = [
  'Drugsoverlast',
  'Geluidsoverlast',
  'Burenruzie',
  'Bedreiging',
  'Mishandeling',
  'Overlast verward persoon',
  'Openbare orde overig',
];

/** Public-space report categories, per 1,000 inhabitants per year (≈ 120 in total; estimate). */
const MELDING_TYPES: readonly (readonly [string, number])[] = [
  ['Afval en zwerfvuil', 30],
  ['Straatverlichting', 12],
  ['Bestrating en wegdek', 18],
  ['Groen en bomen', 20],
  ['Riolering en wateroverlast', 6],
  ['Hondenpoep', 5],
  ['Verkeersborden en verkeerslichten', 5],
  ['Graffiti', 4],
  ['Speelvoorzieningen', 3],
  ['Dumping en overlast', 8],
  ['Parkeren', 6],
  ['Ongedierte', 3],
];

const ITEMS = [
  'een fiets',
  'een laptop',
  'sieraden',
  'contant geld (ca. € {n})',
  'een telefoon',
  'een tas',
  'gereedschap',
  'een spelcomputer',
];
const STREET_SPOTS = [
  'bij de bushalte',
  'op het plein',
  'bij de supermarkt',
  'in het park',
  'bij de snackbar',
  'op de dijk',
  'bij het winkelcentrum',
  'bij de school',
  'op de parkeerplaats',
  'bij het station',
];

/** The free-text description of an incident (generated while writing, to keep memory linear). */
export function describeIncident(r: Rng, inc: Incident): string {
  return describe(r, inc.categorie, inc.street);
}

type Template = (c: { n: string; spot: string; item: string; street: string; group: number }) => string;

const TEMPLATES: Record<string, readonly Template[]> = {
  Woninginbraak: [
    (c) =>
      `Melder meldt inbraak in woning aan de ${c.street}; achterdeur geforceerd.\nWeggenomen: ${c.item}. Sporen veiliggesteld.`,
    (c) =>
      `Bewoner thuisgekomen; raam opengebroken.\nVermist: ${c.item}; buurt geïnformeerd over inbraakpreventie.`,
  ],
  'Diefstal uit/vanaf motorvoertuig': [
    (c) => `Ruit van geparkeerde auto ingeslagen ${c.spot}; ${c.item} weggenomen.`,
    () => `Kentekenplaten ontvreemd; eigenaar doet aangifte.`,
  ],
  Fietsendiefstal: [
    (c) => `E-bike gestolen ${c.spot}; slot doorgeknipt.`,
    (c) => `Fiets weggenomen bij woning aan de ${c.street}; geen camerabeelden.`,
  ],
  Winkeldiefstal: [
    (c) => `Winkelier houdt verdachte aan; goederen t.w.v. € ${c.n} onbetaald meegenomen.`,
    (c) => `Diefstal in winkel; verdachte gevlucht richting ${c.street}.`,
  ],
  'Overige diefstal': [
    (c) => `Portemonnee gerold ${c.spot}; melder heeft pas geblokkeerd.`,
    (c) => `Diefstal van ${c.item} uit schuur; melder doet aangifte.`,
  ],
  Vernieling: [
    (c) => `Bushokje vernield ${c.spot}; glas ligt op straat.`,
    () => `Melder ziet groep jongeren tegen lantaarnpalen trappen; "ze gooien ook stenen".`,
    (c) => `Bekladding op gevel aan de ${c.street}.`,
  ],
  Mishandeling: [
    (c) => `Vechtpartij ${c.spot}; één persoon met hoofdwond naar SEH.\nVerdachte aangehouden.`,
    () => `Melder geslagen na woordenwisseling; ambulance ter plaatse.`,
  ],
  Bedreiging: [
    () => `Melder wordt bedreigd door bekende; dader riep: "ik weet waar je woont".`,
    () => `Bedreiging via telefoon; melder durft niet naar buiten.`,
  ],
  'Huiselijk geweld': [
    () =>
      `Melding van buren: geschreeuw en gestommel in woning.\nPartijen gescheiden; Veilig Thuis ingelicht.`,
    () => `Ruzie tussen partners; één partij tijdelijk elders ondergebracht.`,
  ],
  Burenruzie: [
    () => `Conflict tussen buren over geluid en parkeren; partijen aangesproken.`,
    () => `Burenruzie escaleert; melder spreekt van "al maanden gedoe".\nBuurtbemiddeling geadviseerd.`,
  ],
  Geluidsoverlast: [
    (c) => `Harde muziek uit woning aan de ${c.street}; bewoners verzocht volume te verlagen.`,
    () => `Feest met veel bezoekers; overlast tot na 03:00 uur.\nWaarschuwing gegeven.`,
  ],
  'Overlast jeugd': [
    (c) => `Groep van ca. ${c.group} jongeren ${c.spot}; vuurwerk en harde muziek.`,
    (c) => `Jongeren hangen rond ${c.spot}; scooters rijden over stoep.`,
  ],
  'Overlast verward persoon': [
    () => `Man loopt verward over straat; spreekt voorbijgangers aan.\nOvergedragen aan GGZ-crisisdienst.`,
    (c) => `Vrouw in de war aangetroffen ${c.spot}; familie ingelicht.`,
  ],
  Drugsoverlast: [
    () => `Melder ziet regelmatig korte bezoekjes aan woning; vermoeden van handel.\nSterke wietlucht.`,
    (c) => `Dealen ${c.spot}; auto's rijden af en aan.`,
  ],
  Verkeersongeval: [
    (c) => `Aanrijding tussen auto en fietser ${c.spot}; fietser licht gewond.`,
    (c) => `Eenzijdig ongeval op de ${c.street}; materiële schade.`,
  ],
  Verkeersoverlast: [
    (c) => `Hardrijders op de ${c.street}; melder vraagt om controle.`,
    () => `Auto fout geparkeerd; blokkeert uitrit.`,
  ],
  Inbraakalarm: [
    (c) => `Alarm gaat af in woning aan de ${c.street}; geen sporen van braak.`,
    () => `Inbraakalarm; sleutelhouder ter plaatse, loos alarm.`,
  ],
  Hulpverlening: [
    (c) => `Assistentie ambulance ${c.spot}.`,
    () => `Persoon onwel op straat; hulpdiensten ter plaatse.`,
    (c) => `Hulp gevraagd bij woning aan de ${c.street}; deur geopend voor ambulance.`,
  ],
  'Openbare orde overig': [
    (c) => `Ruzie op straat ${c.spot}; partijen uit elkaar gehaald.`,
    () => `Samenscholing bij horeca; personen verzocht door te lopen.`,
  ],
  'Toezicht en controle': [
    (c) => `Surveillance ${c.spot}; geen bijzonderheden.`,
    (c) => `Controle van voertuig; bestuurder bekeurd (€ ${c.n}).`,
  ],
  Overig: [
    (c) => `Melding gevonden voorwerp: ${c.item}.`,
    () => `Diversen; melder doorverwezen naar de gemeente.`,
    (c) => `Loslopende hond ${c.spot}; eigenaar getraced.`,
  ],
};

function describe(r: Rng, cat: string, street: string): string {
  const n = String(r.intBetween(2, 95) * 10);
  const c = {
    n,
    spot: r.pick(STREET_SPOTS),
    item: r.pick(ITEMS).replace('{n}', n),
    street,
    group: r.intBetween(4, 15),
  };
  const list = TEMPLATES[cat];
  return list ? r.pick(list)(c) : `Melding ${cat.toLowerCase()} ${c.spot}.`;
}

const HOURS_DAY = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 6, 6, 5, 4, 3, 2];
const HOURS_NIGHT = [6, 6, 5, 4, 3, 2, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 7, 7];

export function buildSafety(
  world: World,
  extraRepeatSites: readonly { dwelling: Dwelling; reason: string }[],
): SafetyData {
  const rng = world.rng.fork('safety');
  const rPlant = rng.fork('repeat-incidents');
  const rMor = rng.fork('meldingen');
  const persons = [...world.wijkTargets.values()].reduce((s, x) => s + x, 0);
  const wijken = world.gemeente.wijken;
  const wijkCum = cumulative(
    wijken.map(
      (w) =>
        (world.wijkTargets.get(w.code) ?? 0) + persons * 0.01 + (w.code === 'WK040001' ? persons * 0.05 : 0),
    ),
  );
  const wijkSamplers = wijken.map((w) => new WijkSampler(w));
  const households = world.households;
  const hhCum = cumulative(households.map((h) => Math.sqrt(h.vuln) * h.members.length ** 0.5));
  const shops = world.dwellings.filter((d) => d.gebruiksdoel === 'winkelfunctie');
  const streets = world.dwellings.filter((d) => d.residential).map((d) => d.street);

  const publicPoint = (r: Rng): Point => (wijkSamplers[drawCumulative(r, wijkCum)] as WijkSampler).sample(r);
  const homeAt = (r: Rng, day: Day): Dwelling | null => {
    for (let t = 0; t < 8; t++) {
      const h = households[drawCumulative(r, hhCum)] as Household;
      if (firstDay(h) <= day && (lastDay(h) ?? REF_DAY) >= day) return dwellingAt(h, day);
    }
    return null;
  };

  const incidents: Incident[] = [];
  const add = (
    r: Rng,
    cat: string,
    where: Where,
    day: Day,
    dwelling: Dwelling | null,
    planted: boolean,
  ): Incident => {
    let d = dwelling;
    if (!d && (where === 'home' || (where === 'mixed' && r.chance(0.35)))) d = homeAt(r, day);
    if (!d && where === 'shop' && shops.length > 0) d = r.pick(shops);
    const pt = d ? d.pt : publicPoint(r);
    const night =
      cat.startsWith('Overlast') ||
      cat === 'Geluidsoverlast' ||
      cat === 'Vernieling' ||
      cat === 'Drugsoverlast';
    const hour = r.weightedIndex(night ? HOURS_NIGHT : HOURS_DAY);
    const inc: Incident = {
      nr: '',
      day,
      minute: hour * 60 + r.int(60),
      categorie: cat,
      street: d ? d.street : r.pick(streets.length > 0 ? streets : ['Middenweg']),
      pt,
      dwelling: d,
      planted,
    };
    incidents.push(inc);
    return inc;
  };

  for (let y = 2019; y <= 2024; y++) {
    const y0 = dayOf(y, 1, 1);
    const y1 = Math.min(dayOf(y, 12, 31), REF_DAY);
    for (const [cat, rate, where] of INCIDENT_TYPES) {
      const n = rng.poisson((rate * persons * (INCIDENT_YEAR[y] ?? 1)) / 1000);
      for (let i = 0; i < n; i++) add(rng, cat, where, rng.intBetween(y0, y1), null, false);
    }
  }

  // planted: addresses with 8–20 incidents in 2022–2024
  const repeatSites: RepeatSite[] = [];
  const occupiedNow = world.dwellings.filter((d) => d.residential && residentsAtRef(d).length > 0);
  const count = Math.max(1, Math.round(10 * world.scale));
  const chosen = rPlant.sample(rPlant.shuffle([...occupiedNow]), count).sort((a, b) => a.idx - b.idx);
  const sites = [
    ...chosen.map((d) => ({ dwelling: d, reason: 'herhaalde overlast en incidenten op één adres' })),
    ...extraRepeatSites,
  ];
  for (const s of sites) {
    const n = rPlant.intBetween(8, 20);
    const list: Incident[] = [];
    for (let i = 0; i < n; i++) {
      list.push(
        add(
          rPlant,
          rPlant.pick(REPEAT_TYPES),
          'home',
          rPlant.intBetween(dayOf(2022, 1, 1), REF_DAY),
          s.dwelling,
          true,
        ),
      );
    }
    repeatSites.push({ dwelling: s.dwelling, incidents: list, reason: s.reason });
  }

  const keyed = incidents.map((inc, i) => ({ inc, i }));
  keyed.sort((a, b) => a.inc.day - b.inc.day || a.inc.minute - b.inc.minute || a.i - b.i);
  const sorted = keyed.map((k) => k.inc);
  const seq = new Map<number, number>();
  for (const inc of sorted) {
    const y = new Date(inc.day * 86400000).getUTCFullYear();
    const k = (seq.get(y) ?? 0) + 1;
    seq.set(y, k);
    inc.nr = `${y}${String(k).padStart(6, '0')}`;
  }

  // public-space reports
  const meldingen: Melding[] = [];
  for (let y = 2019; y <= 2024; y++) {
    const y0 = dayOf(y, 1, 1);
    const y1 = Math.min(dayOf(y, 12, 31), REF_DAY);
    for (const [cat, rate] of MELDING_TYPES) {
      const n = rMor.poisson((rate * persons * (y === 2019 ? 0.9 : 1 + (y - 2020) * 0.03)) / 1000);
      for (let i = 0; i < n; i++) {
        const day = rMor.intBetween(y0, y1);
        const pt = rMor.chance(0.25) ? (homeAt(rMor, day)?.pt ?? publicPoint(rMor)) : publicPoint(rMor);
        const age = REF_DAY - day;
        const status =
          age > 60
            ? rMor.weighted([
                ['Afgehandeld', 92],
                ['Geannuleerd', 5],
                ['Doorgezet naar externe partij', 3],
              ] as const)
            : rMor.weighted([
                ['Gemeld', 40],
                ['In behandeling', 45],
                ['Afgehandeld', 15],
              ] as const);
        meldingen.push({ id: '', day, categorie: cat, pt, status });
      }
    }
  }
  const mk = meldingen.map((m, i) => ({ m, i }));
  mk.sort((a, b) => a.m.day - b.m.day || a.i - b.i);
  const mSorted = mk.map((x) => x.m);
  const mseq = new Map<number, number>();
  for (const m of mSorted) {
    const y = new Date(m.day * 86400000).getUTCFullYear();
    const k = (mseq.get(y) ?? 0) + 1;
    mseq.set(y, k);
    m.id = `MOR-${y}-${String(k).padStart(6, '0')}`;
  }
  return { incidents: sorted, meldingen: mSorted, repeatSites };
}
