/**
 * The example schema: one penguin, its species (the label), four measurements and two categories.
 * Input columns are matched loosely so the vega-datasets JSON ("Beak Length (mm)"), the
 * palmerpenguins CSV ("bill_length_mm") and TFX's penguin CSV ("culmen_length_mm") all load.
 */

/** Numeric feature names, in model input order. */
export const NUMERIC_FEATURES = [
  'bill_length_mm',
  'bill_depth_mm',
  'flipper_length_mm',
  'body_mass_g',
] as const;
/** Categorical feature names, in model input order (one-hot encoded after the numeric ones). */
export const CATEGORICAL_FEATURES = ['island', 'sex'] as const;

/** A numeric feature name. */
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];
/** A categorical feature name. */
export type CategoricalFeature = (typeof CATEGORICAL_FEATURES)[number];

/** One complete example. Categorical values are null only when the source has no such column. */
export type Penguin = { readonly species: string } & { readonly [K in NumericFeature]: number } & {
  readonly [K in CategoricalFeature]: string | null;
};

/** TFX's preprocessed penguin CSV encodes species as 0/1/2 in this order. */
const SPECIES_BY_INDEX = ['Adelie', 'Chinstrap', 'Gentoo'];

const ALIASES: Record<string, string> = {
  species: 'species',
  island: 'island',
  sex: 'sex',
  billlengthmm: 'bill_length_mm',
  beaklengthmm: 'bill_length_mm',
  culmenlengthmm: 'bill_length_mm',
  billdepthmm: 'bill_depth_mm',
  beakdepthmm: 'bill_depth_mm',
  culmendepthmm: 'bill_depth_mm',
  flipperlengthmm: 'flipper_length_mm',
  bodymassg: 'body_mass_g',
};

/** Maps a source column name to a schema field, or undefined for columns the model ignores (e.g. year). */
export function canonicalColumn(name: string): string | undefined {
  return ALIASES[name.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

function missing(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === 'string' && ['', 'na', 'nan', '.', 'null'].includes(v.trim().toLowerCase()))
  );
}

/** What cleaning a dataset kept and dropped. */
export interface CleanResult {
  /** Complete examples, in source order. */
  readonly rows: Penguin[];
  /** How many source records were incomplete and dropped. */
  readonly dropped: number;
}

/**
 * Turns source records into complete examples, dropping incomplete ones. A categorical column
 * absent from every record is allowed (its value is null); a numeric one or the species is not.
 * @throws Error when a required column is absent from the whole dataset or a number is malformed.
 */
export function cleanRecords(records: readonly Record<string, unknown>[]): CleanResult {
  const canon = records.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      const c = canonicalColumn(k);
      if (c !== undefined) out[c] = v;
    }
    return out;
  });
  const present = new Set(canon.flatMap((r) => Object.keys(r)));
  const absent = ['species', ...NUMERIC_FEATURES].filter((c) => !present.has(c));
  if (absent.length > 0) throw new Error(`dataset lacks column(s) ${absent.join(', ')}`);
  const categorical = CATEGORICAL_FEATURES.filter((c) => present.has(c));

  const rows: Penguin[] = [];
  canon.forEach((r, index) => {
    const needed = ['species', ...NUMERIC_FEATURES, ...categorical];
    if (needed.some((c) => missing(r[c]))) return;
    const num = (c: NumericFeature): number => {
      const n = typeof r[c] === 'number' ? (r[c] as number) : Number(String(r[c]).trim());
      if (!Number.isFinite(n))
        throw new Error(`record ${index + 1}: ${c} is not a number: '${String(r[c])}'`);
      return n;
    };
    const speciesRaw = String(r['species']).trim();
    const species = /^\d+$/.test(speciesRaw)
      ? (SPECIES_BY_INDEX[Number(speciesRaw)] ?? speciesRaw)
      : speciesRaw;
    const cat = (c: CategoricalFeature): string | null =>
      present.has(c) ? String(r[c]).trim().toUpperCase() : null;
    rows.push({
      species,
      bill_length_mm: num('bill_length_mm'),
      bill_depth_mm: num('bill_depth_mm'),
      flipper_length_mm: num('flipper_length_mm'),
      body_mass_g: num('body_mass_g'),
      island: cat('island'),
      sex: cat('sex'),
    });
  });
  return { rows, dropped: records.length - rows.length };
}
