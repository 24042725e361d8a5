/**
 * One colour per meaning on the map (issue 19, item 7), shared by the server's style and the
 * page's own layers and icons. Red and its oranges are kept for fires — a county crew drawn in
 * the red of a confirmed fire, or a county road in it, reads as a fire on a wall at 3 m. Crews
 * are teal at every level and status (the level is the shield's size and shade), roads brown,
 * firebreaks olive, water blue, lookouts purple, the county's outline navy, key areas
 * blue-grey, and where crews fall short (beyond 10 minutes, the 30-minute ring) violet, as
 * does forest no tower sees and a village short of its publicity target.
 */
export const PALETTE = {
  fire: {
    unconfirmed: '#d9480f',
    confirmed: '#b71c1c',
    fought: '#ef6c00',
    out: '#2e7d32',
  },
  crew: {
    county: '#004d40',
    township: '#00796b',
    village: '#26a69a',
    /** Live positions by status: the same teal, darker as the crew gets closer to the fire. */
    dispatched: '#26a69a',
    en_route: '#00796b',
    on_scene: '#004d40',
    returning: '#78909c',
    stale: '#9e9e9e',
  },
  road: { county: '#5d4037', township: '#8d6e63', village: '#7f6a4f', track: '#9c8b6e' },
  firebreak: '#827717',
  /** The county's outline: navy, so a red line on the wall is always a fire. */
  countyLine: '#1a237e',
  /** 重点区域 (villages' edges, power lines, graves…): blue-grey, a place to protect. */
  keyArea: '#455a64',
  /** Where crews fall short: grids beyond 10 minutes, the 30-minute reach ring. */
  shortfall: '#7b1fa2',
  /** Reach rings: 10 minutes green, 20 dark yellow (not a fire's orange), 30 the shortfall's violet. */
  reach: { 10: '#2e7d32', 20: '#d4a900', 30: '#7b1fa2' },
  /**
   * Coverage scales (towers that see the forest, publicity against its target): short of it
   * the shortfall's violet, part-way lavender, met green, no record grey.
   */
  coverage: { none: '#7b1fa2', part: '#ce93d8', met: '#2e7d32', unknown: '#9e9e9e' },
  /**
   * War zones (战区) by their index in the county (ordered by id, i.e. as loaded), not by name,
   * so any county's zones get distinct colours: colour-blind-safe Okabe–Ito hues first (Mayang's
   * five keep theirs), then Tol's; the ninth zone takes the first colour again.
   */
  warZones: [
    '#E69F00',
    '#56B4E9',
    '#009E73',
    '#CC79A7',
    '#0072B2',
    '#F0E442',
    '#117733',
    '#88CCEE',
  ],
} as const;

/** '#rrggbb' → [r, g, b] (0–255). */
export function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The fonts map labels ask for, the server's style and the page's own layers alike: the
 * command centre's Chinese fonts first, then Debian's Noto CJK. No glyph server: MapLibre
 * draws the text with the machine's own fonts.
 */
export const LABEL_FONT = ['Microsoft YaHei', 'Noto Sans CJK SC', 'PingFang SC', 'sans-serif'];
