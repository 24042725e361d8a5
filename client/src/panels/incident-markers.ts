/**
 * The fires' markers on the command map: one per incident, coloured by state (new ones pulse,
 * breached ones say so, a drill reads 演), kept per incident and updated in place; fires close
 * together stack with the one that matters most on top carrying the count of those under it.
 */
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { LIST_ORDER } from '../../../server/domain/incident-lifecycle.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import type { IncidentState } from '../../../server/domain/vocabulary.ts';
import { t, tValue } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';

const NEW_STATES: IncidentState[] = ['reported', 'verifying'];
/** Markers whose centres are closer than this (px) stack: see stack(). */
const STACK_PX = 22;
/** Fires being fought first, then unverified reports, as the server orders its list. */
export const priority = (i: IncidentSummary) => LIST_ORDER.indexOf(i.state);

export interface IncidentMarkers {
  /**
   * Markers for these incidents (those left out, e.g. folded into a flood, are removed);
   * `selected` is outlined.
   */
  sync(incidents: Iterable<IncidentSummary>, selected: string | null): void;
}

export function mountIncidentMarkers(
  map: MapLibreMap,
  onClick: (id: string) => void,
): IncidentMarkers {
  const markers = new Map<
    string,
    { marker: Marker; el: HTMLButtonElement; inc: IncidentSummary }
  >();

  /**
   * Fires close together stay each at its own place; the one that matters most is drawn on
   * top and carries the count of those under it, so none hides another unseen.
   */
  const stack = () => {
    const placed = [...markers.values()].sort((a, b) => priority(a.inc) - priority(b.inc));
    const tops: { x: number; y: number; el: HTMLElement; n: number }[] = [];
    for (const [rank, { el, inc }] of placed.entries()) {
      const p = map.project(inc.location);
      el.style.zIndex = String(placed.length - rank);
      delete el.dataset.stack;
      const top = tops.find((t) => Math.hypot(t.x - p.x, t.y - p.y) < STACK_PX);
      if (top) {
        top.n++;
        top.el.dataset.stack = String(top.n);
        el.classList.add('stacked');
      } else {
        el.classList.remove('stacked');
        tops.push({ x: p.x, y: p.y, el, n: 1 });
      }
    }
  };
  map.on('zoomend', stack);

  return {
    sync(incidents, selected) {
      const shown = new Map<string, IncidentSummary>();
      for (const inc of incidents) shown.set(inc.id, inc);
      for (const [id, m] of markers)
        if (!shown.has(id)) {
          m.marker.remove();
          markers.delete(id);
        }
      for (const inc of shown.values()) {
        let m = markers.get(inc.id);
        if (!m) {
          const el = h('button', { type: 'button', class: 'incident-marker' }, '火');
          el.addEventListener('click', (e) => {
            e.stopPropagation();
            onClick(inc.id);
          });
          const marker = new Marker({ element: el }).setLngLat(inc.location).addTo(map);
          m = { marker, el, inc };
          markers.set(inc.id, m);
        }
        m.inc = inc;
        m.marker.setLngLat(inc.location);
        // classList, never className: MapLibre's own `maplibregl-marker` class is what takes
        // the element out of the flow and pins it to its place; overwriting it drew each
        // further fire one marker-width east of where it burns.
        const cl = m.el.classList;
        for (const c of [...cl]) if (c.startsWith('state-')) cl.remove(c);
        cl.add(`state-${inc.state}`);
        cl.toggle('pulse', NEW_STATES.includes(inc.state));
        cl.toggle('breached', inc.breached.length > 0);
        cl.toggle('selected', inc.id === selected);
        // A drill's marker reads 演 instead of 火 and is outlined: never taken for a real fire.
        cl.toggle('drill', inc.drill);
        m.el.textContent = inc.drill ? '演' : '火';
        if (inc.drill) m.el.dataset.drill = '';
        else delete m.el.dataset.drill;
        m.el.dataset.incident = inc.id;
        m.el.setAttribute(
          'aria-label',
          `${inc.drill ? `${t('incidents.drill')} ` : ''}${tValue('state', inc.state)} ${inc.townshipName ?? ''}${inc.villageName ?? ''}`,
        );
      }
      stack();
    },
  };
}
