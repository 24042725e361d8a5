/**
 * Fuels for the county from its land cover: the forest types the grids carry (their
 * `fuel_type`, e.g. 杉木林, 马尾松林, 阔叶混交林, 灌草丛) and the land outside the forest grids
 * (农田 by default), each given
 *
 * - a Rothermel fuel model from Scott & Burgan (2005) chosen by its description: Chinese fir
 *   plantations (杉木林) keep a moderate needle litter under a humid-climate shrub layer, TU2;
 *   Masson pine (马尾松林) carries long needles over the grass and fern (芒萁) understory of
 *   the hills of Hunan, TU3; broadleaf and mixed stands (阔叶林, 阔叶混交林) a broadleaf litter,
 *   TL6; shrub and grass-shrub (灌丛, 灌草丛) GS3 (humid climate grass-shrub); grassland (草地)
 *   GR3 (humid climate coarse grass); farmland (农田) GR1, the short sparse dry grass of
 *   winter stubble and field edges in the fire season (burning field edges, 烧田埂, is how
 *   most of the county's forest fires start, so fields must carry a fire, slowly); water
 *   NB8 and settlements NB1 do not burn;
 * - the 王正非 fuel-arrangement coefficient Ks of the nearest class of Wang's table (needle
 *   litter lying flat 0.8; twigs and leaf litter 1.2; thatch grass and weeds 1.6; pasture
 *   2.0; 0 where nothing burns; the lowest class, 0.8, for sparse stubble);
 * - a canopy for the wind adjustment factor (Andrews 2012, RMRS-GTR-266): cover fraction,
 *   height m and crown ratio of a typical closed plantation, none for open land.
 *
 * These are defaults a forestry bureau replaces with its own survey; the table is the
 * documentation of what the map assumes.
 */
import { WANG_KS_DEFAULTS } from './wang-zhengfei.ts';

export interface LandCover {
  code: number;
  key: string;
  /** Chinese name as the grids and the map say it. */
  zh: string;
  en: string;
  /** Scott & Burgan / Anderson catalog key. */
  fuelModel: string;
  /** 王正非 Ks (0: does not burn). */
  wangKs: number;
  /** Canopy sheltering the surface fuel from the wind, or null in the open. */
  canopy: { cover: number; heightM: number; crownRatio: number } | null;
}

export const LAND_COVERS: readonly LandCover[] = [
  {
    code: 0,
    key: 'farmland',
    zh: '农田',
    en: 'farmland',
    fuelModel: 'gr1',
    wangKs: WANG_KS_DEFAULTS.平铺针叶,
    canopy: null,
  },
  {
    code: 1,
    key: 'chinese-fir',
    zh: '杉木林',
    en: 'Chinese fir',
    fuelModel: 'tu2',
    wangKs: WANG_KS_DEFAULTS.平铺针叶,
    canopy: { cover: 0.7, heightM: 12, crownRatio: 0.5 },
  },
  {
    code: 2,
    key: 'masson-pine',
    zh: '马尾松林',
    en: 'Masson pine',
    fuelModel: 'tu3',
    wangKs: WANG_KS_DEFAULTS.平铺针叶,
    canopy: { cover: 0.5, heightM: 12, crownRatio: 0.4 },
  },
  {
    code: 3,
    key: 'broadleaf',
    zh: '阔叶林',
    en: 'broadleaf and mixed',
    fuelModel: 'tl6',
    wangKs: WANG_KS_DEFAULTS.枯枝落叶,
    canopy: { cover: 0.7, heightM: 14, crownRatio: 0.5 },
  },
  {
    code: 4,
    key: 'shrub',
    zh: '灌丛',
    en: 'shrub and grass-shrub',
    fuelModel: 'gs3',
    wangKs: WANG_KS_DEFAULTS.茅草杂草,
    canopy: null,
  },
  {
    code: 5,
    key: 'grass',
    zh: '草地',
    en: 'grassland',
    fuelModel: 'gr3',
    wangKs: WANG_KS_DEFAULTS.牧场草原,
    canopy: null,
  },
  { code: 6, key: 'water', zh: '水体', en: 'water', fuelModel: 'nb8', wangKs: 0, canopy: null },
  {
    code: 7,
    key: 'settlement',
    zh: '居民点',
    en: 'settlement',
    fuelModel: 'nb1',
    wangKs: 0,
    canopy: null,
  },
];

export const FARMLAND = 0;

/** The land cover of a grid's `fuel_type` (杉木林, 马尾松林, 阔叶混交林, 灌草丛, 草地, …). */
export function landCoverOf(fuelType: string | null | undefined): LandCover {
  const t = fuelType ?? '';
  const code = t.includes('杉')
    ? 1
    : t.includes('松')
      ? 2
      : t.includes('阔叶')
        ? 3
        : t.includes('灌')
          ? 4
          : t.includes('草')
            ? 5
            : t.includes('水')
              ? 6
              : t.includes('居') || t.includes('村')
                ? 7
                : FARMLAND;
  return LAND_COVERS[code] as LandCover;
}

/**
 * The county's own 王正非 Ks per land cover (issue 15, item 2: Ks is a setting), from
 * "cover=ks,…" where a cover is named by its key or its Chinese name (chinese-fir=0.9 or
 * 杉木林=0.9); covers not named keep Wang's (1983) table. An error says what is wrong.
 */
export function parseWangKs(text: string): { covers: readonly LandCover[] } | { error: string } {
  const ks = new Map<number, number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [name, value, extra] = part.split('=').map((s) => s.trim());
    const cover = LAND_COVERS.find((c) => c.key === name || c.zh === name);
    if (!cover || extra !== undefined)
      return {
        error: `"${part}" is not cover=ks; covers: ${LAND_COVERS.filter((c) => c.wangKs > 0)
          .map((c) => `${c.key} (${c.zh})`)
          .join(', ')}`,
      };
    if (cover.wangKs === 0) return { error: `${cover.key} (${cover.zh}) does not burn` };
    const v = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value ?? '') || !(v > 0 && v <= 10))
      return {
        error: `Ks of ${cover.key} must be a number above 0 and at most 10, got "${value}"`,
      };
    ks.set(cover.code, v);
  }
  return {
    covers: LAND_COVERS.map((c) =>
      ks.has(c.code) ? { ...c, wangKs: ks.get(c.code) as number } : c,
    ),
  };
}
