/**
 * Where the township seats sit. Synthetic but plausible: 高村镇, the county seat, on the
 * 锦江; the 锦江 towns (吕家坪, 锦和, 江口墟) downstream along it; the others spread over the
 * hills in the directions their real counterparts lie. The generator moves each to the
 * nearest gentle valley ground.
 */
export const TOWNSHIP_SEATS: Record<string, [number, number]> = {
  高村镇: [109.8, 27.868],
  吕家坪镇: [109.872, 27.908],
  锦和镇: [109.935, 27.932],
  江口墟镇: [110.045, 27.98],
  谭家寨乡: [109.99, 27.925],
  板栗树乡: [109.91, 27.975],
  兰村乡: [109.77, 27.945],
  岩门镇: [109.64, 27.9],
  舒家村乡: [109.52, 27.86],
  兰里镇: [109.68, 27.8],
  大桥江乡: [109.86, 27.8],
  文昌阁乡: [109.6, 27.76],
  黄桑乡: [109.5, 27.78],
  隆家堡乡: [109.75, 27.72],
  尧市镇: [109.66, 27.66],
  石羊哨乡: [109.57, 27.66],
  郭公坪镇: [109.52, 27.58],
  和平溪乡: [109.46, 27.7],
};

/** The five war zones (战区) and the township each is named after. */
export const WAR_ZONES: { name: string; township: string }[] = [
  { name: '尧市战区', township: '尧市镇' },
  { name: '锦和战区', township: '锦和镇' },
  { name: '岩门战区', township: '岩门镇' },
  { name: '高村战区', township: '高村镇' },
  { name: '兰里战区', township: '兰里镇' },
];
