/**
 * The 王正非 (Wang Zhengfei) spread model used in Chinese practice (王正非 1983, 山火初始蔓延
 * 速度测算法, 山地研究 1(2): 42–51; as applied e.g. by 毛贤敏 1993 and in county fire
 * command systems): R = R0 · Ks · Kw · Kφ.
 *
 * - R0, m/min: the initial (no-wind, flat) spread rate of the day's weather. A setting.
 * - Ks: the fuel-arrangement coefficient (可燃物配置格局更正系数), a setting per fuel type.
 * - Kw = exp(0.1783 · V · cos θ): V wind speed m/s, θ the angle between the direction of
 *   spread and the direction the wind blows to.
 * - Kφ = exp(±3.533 · (tan φ)^1.2): φ the slope along the direction of spread, + upslope,
 *   − downslope.
 *
 * The defaults below are the values the secondary literature reproduces from Wang (1983);
 * a county with its own calibration sets its own.
 */

/** Ks by fuel arrangement, as tabulated from 王正非 (1983). */
export const WANG_KS_DEFAULTS = {
  平铺针叶: 0.8,
  枯枝落叶: 1.2,
  茅草杂草: 1.6,
  牧场草原: 2.0,
} as const;
export type WangFuelArrangement = keyof typeof WANG_KS_DEFAULTS;

/**
 * Default R0, m/min: 毛贤敏's (1993) weather regression R0 = 0.03·T + 0.05·V + 0.01·(100 − h)
 * − 0.3 (T air temperature °C, V wind force, Beaufort, h relative humidity %) on a dry spring
 * afternoon of 20 °C, force 2, 40 % — 1.0 m/min. A setting; replace with the day's value.
 */
export function initialSpreadRate(tempC: number, windForce: number, rhPercent: number): number {
  return Math.max(0, 0.03 * tempC + 0.05 * windForce + 0.01 * (100 - rhPercent) - 0.3);
}
export const WANG_R0_DEFAULT_M_MIN = initialSpreadRate(20, 2, 40);

/** Kw: wind factor for wind speed V (m/s) at angle θ (degrees) off the direction of spread. */
export function wangWindFactor(windMs: number, angleOffWindDeg: number): number {
  return Math.exp(0.1783 * windMs * Math.cos((angleOffWindDeg * Math.PI) / 180));
}

/**
 * Kφ: slope factor for the slope along the direction of spread as rise over run (tan φ),
 * positive upslope, negative downslope.
 */
export function wangSlopeFactor(tanSlope: number): number {
  const k = 3.533 * Math.abs(tanSlope) ** 1.2;
  return Math.exp(tanSlope >= 0 ? k : -k);
}

/**
 * Rate of spread, m/min, in one direction: R0 m/min, Ks, wind m/s and its angle off the
 * direction of spread (degrees), slope along the direction as rise over run.
 */
export function wangRate(p: {
  r0MMin: number;
  ks: number;
  windMs: number;
  angleOffWindDeg: number;
  tanSlope: number;
}): number {
  return (
    p.r0MMin * p.ks * wangWindFactor(p.windMs, p.angleOffWindDeg) * wangSlopeFactor(p.tanSlope)
  );
}
