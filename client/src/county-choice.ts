/**
 * The county a province's command page is about: `?county=439001` in the page's address (a
 * provincial server holds many counties, scripts/geodata/province.ts). Without it the page
 * is the first county's, as on a county's own server. The county's outline, its war zones,
 * the wall's counts, the open fires, search and the live events follow the choice.
 */
export function chosenCounty(search = globalThis.location?.search ?? ''): string | undefined {
  const code = new URLSearchParams(search).get('county');
  return code && /^[0-9]{6}$/.test(code) ? code : undefined;
}

/** `url` with the chosen county as `param` (countyCode for lists, code for the outline). */
export function forCounty(url: string, param = 'countyCode', county = chosenCounty()): string {
  if (!county) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${param}=${county}`;
}

/** Whether a place (its township's code) is in the chosen county; everything is without one. */
export function inChosenCounty(townshipCode: string | null, county = chosenCounty()): boolean {
  return !county || (townshipCode?.startsWith(county) ?? false);
}
