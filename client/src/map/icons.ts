/**
 * Map icons for 铁塔哨兵 lookouts, 应急水源 water and 扑火队伍 crew bases, drawn on a canvas
 * at twice the CSS size so they stay sharp on a wall display. The style (server/tiles/style.ts)
 * names them; MapLibre asks the resolver for each one the first time a layer needs it.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { PALETTE } from '../../../server/domain/map-palette.ts';

const RATIO = 2;
type Draw = (g: CanvasRenderingContext2D, size: number) => void;

function outlined(g: CanvasRenderingContext2D, fill: string) {
  g.fillStyle = fill;
  g.fill();
  g.lineWidth = 2 * RATIO;
  g.strokeStyle = '#ffffff';
  g.stroke();
  g.lineWidth = 0.8 * RATIO;
  g.strokeStyle = '#1b1b1b';
  g.stroke();
}

/** A drop (水源): full blue for reservoirs, light blue for ponds and intakes. */
function drop(fill: string): Draw {
  return (g, s) => {
    g.beginPath();
    g.moveTo(s / 2, s * 0.1);
    g.bezierCurveTo(s * 0.52, s * 0.3, s * 0.82, s * 0.5, s * 0.82, s * 0.64);
    g.arc(s / 2, s * 0.64, s * 0.32, 0, Math.PI);
    g.bezierCurveTo(s * 0.18, s * 0.5, s * 0.48, s * 0.3, s / 2, s * 0.1);
    g.closePath();
    outlined(g, fill);
  };
}

/** A tower (瞭望塔): a purple pin with a white lattice mast. */
const tower: Draw = (g, s) => {
  g.beginPath();
  g.roundRect(s * 0.12, s * 0.12, s * 0.76, s * 0.76, s * 0.16);
  outlined(g, '#6a1b9a');
  g.strokeStyle = '#ffffff';
  g.lineWidth = 1.4 * RATIO;
  g.beginPath();
  g.moveTo(s * 0.3, s * 0.8);
  g.lineTo(s * 0.45, s * 0.34);
  g.lineTo(s * 0.55, s * 0.34);
  g.lineTo(s * 0.7, s * 0.8);
  g.moveTo(s * 0.35, s * 0.62);
  g.lineTo(s * 0.65, s * 0.62);
  g.stroke();
  g.fillStyle = '#ffffff';
  g.fillRect(s * 0.36, s * 0.22, s * 0.28, s * 0.12);
};

/** A shield (扑火队伍 base) in the crews' teal, darker for a higher command level. */
function shield(fill: string): Draw {
  return (g, s) => {
    g.beginPath();
    g.moveTo(s * 0.15, s * 0.15);
    g.lineTo(s * 0.85, s * 0.15);
    g.lineTo(s * 0.85, s * 0.5);
    g.quadraticCurveTo(s * 0.8, s * 0.78, s / 2, s * 0.92);
    g.quadraticCurveTo(s * 0.2, s * 0.78, s * 0.15, s * 0.5);
    g.closePath();
    outlined(g, fill);
    // A flame mark.
    g.fillStyle = '#ffffff';
    g.beginPath();
    g.moveTo(s / 2, s * 0.28);
    g.quadraticCurveTo(s * 0.68, s * 0.5, s * 0.6, s * 0.66);
    g.quadraticCurveTo(s / 2, s * 0.76, s * 0.4, s * 0.66);
    g.quadraticCurveTo(s * 0.34, s * 0.5, s / 2, s * 0.28);
    g.fill();
  };
}

export const MAP_ICONS: Record<string, { size: number; draw: Draw }> = {
  'icon-reservoir': { size: 22, draw: drop('#1565c0') },
  'icon-water': { size: 16, draw: drop('#64b5f6') },
  'icon-lookout': { size: 20, draw: tower },
  // Crews in teal, never in a fire's red or orange (domain/map-palette.ts).
  'icon-crew-county': { size: 24, draw: shield(PALETTE.crew.county) },
  'icon-crew-township': { size: 22, draw: shield(PALETTE.crew.township) },
  'icon-crew-village': { size: 18, draw: shield(PALETTE.crew.village) },
};

function render(draw: Draw, size: number): ImageData {
  const px = size * RATIO;
  const canvas = document.createElement('canvas');
  canvas.width = px;
  canvas.height = px;
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  draw(g, px);
  return g.getImageData(0, 0, px, px);
}

/** A PNG data URL of an icon, for the legend. */
export function iconDataUrl(id: string): string {
  const icon = MAP_ICONS[id];
  if (!icon) return '';
  const canvas = document.createElement('canvas');
  const img = render(icon.draw, icon.size);
  canvas.width = img.width;
  canvas.height = img.height;
  (canvas.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

export function provideMapIcons(map: MapLibreMap): void {
  map.setMissingStyleImageResolver((id) => {
    const icon = MAP_ICONS[id];
    if (!icon) {
      console.error(`map style names an icon the page does not draw: ${id}`);
      return;
    }
    if (!map.hasImage(id)) map.addImage(id, render(icon.draw, icon.size), { pixelRatio: RATIO });
  });
}
