/**
 * 挂旗: at 三级 and above the command hangs the flag of the level's QX/T 77-2007 colour
 * (yellow, orange, red; issue 13, item 2). One badge for the wall's danger strip, its table
 * and the grid card: a flag in the level's colour, outlined so the yellow one shows on white,
 * and the words 挂黄旗 / 挂橙旗 / 挂红旗.
 */
import { DANGER_LEVEL_INFO, type DangerLevel } from '../../../server/domain/fire-danger/lyt1172.ts';
import { t } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';

const SVG = 'http://www.w3.org/2000/svg';

/** The badge for a level that hangs a flag; null below 三级. */
export function flagBadge(level: DangerLevel): HTMLElement | null {
  const info = DANGER_LEVEL_INFO[level];
  if (!info.flag) return null;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 12 14');
  svg.setAttribute('aria-hidden', 'true');
  const pole = document.createElementNS(SVG, 'path');
  pole.setAttribute('d', 'M1.5 0.5v13');
  pole.setAttribute('stroke', '#333');
  pole.setAttribute('stroke-width', '1.4');
  const cloth = document.createElementNS(SVG, 'path');
  cloth.setAttribute('d', 'M2.2 1h9l-2.2 3.2 2.2 3.3h-9z');
  cloth.setAttribute('fill', info.colour);
  cloth.setAttribute('stroke', '#333');
  cloth.setAttribute('stroke-width', '0.7');
  svg.append(pole, cloth);
  return h(
    'span',
    {
      class: 'flag-badge',
      'data-flag': info.colourName,
      style: `--flag:${info.colour}`,
      title: t('danger.flagRule'),
    },
    svg as unknown as HTMLElement,
    t(`danger.flag.${info.colourName as 'yellow' | 'orange' | 'red'}`),
  );
}
