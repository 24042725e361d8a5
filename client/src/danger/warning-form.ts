/**
 * Issuing a warning (发布预警) from the wall: a county commander picks any townships, a
 * township commander gets his own, or either draws the area on the map (click the vertices,
 * 完成 or Esc to end; sent as the API's polygon); level, text, measures and how long it is
 * valid. The server decides who may (403 otherwise) and pushes the warning live; a refusal is
 * shown as is.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { WarZones } from '../../../server/contract/cards.ts';
import type { WarningInput, WarningView } from '../../../server/contract/warnings.ts';
import type { Actor } from '../../../server/domain/access.ts';
import { SIGNAL_NAMES } from '../../../server/domain/vocabulary.ts';
import { getJson, post } from '../api/http.ts';
import { forCounty } from '../county-choice.ts';
import { t, tf } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';
import { mountAreaDraw } from './area-draw.ts';

export function mountWarningForm(
  container: HTMLElement,
  user: () => Actor | null,
  map: MapLibreMap,
): () => void {
  // The drawing outlives a re-render of the form (a sign-in change); its controls follow it.
  let onDrawChange = () => {};
  const draw = mountAreaDraw(map, () => onDrawChange());
  const render = async () => {
    const u = user();
    if (!u || (u.role !== 'county_command' && u.role !== 'township_commander')) {
      container.replaceChildren();
      return;
    }
    const { warZones } = await getJson<WarZones>(forCounty('/api/war-zones'));
    const townships = warZones
      .flatMap((z) => z.townships)
      .filter((tw) => u.role === 'county_command' || tw.code === u.townshipCode);
    const level = h(
      'select',
      { name: 'level', 'aria-label': t('danger.level') },
      ...(['blue', 'yellow', 'orange', 'red'] as const).map((l) =>
        h('option', { value: l }, `${SIGNAL_NAMES[l]}预警`),
      ),
    ) as HTMLSelectElement;
    level.value = 'orange';
    const area = h(
      'select',
      { name: 'townships', multiple: '', size: '5', 'aria-label': t('danger.place') },
      ...townships.map((tw) =>
        h(
          'option',
          { value: tw.code, ...(townships.length === 1 ? { selected: '' } : {}) },
          tw.name,
        ),
      ),
    ) as HTMLSelectElement;
    // Or the area drawn on the map: while it stands, the townships are not asked.
    const drawButton = h('button', { type: 'button', class: 'toggle', name: 'draw' }, '');
    const undoButton = h('button', { type: 'button', class: 'toggle', name: 'undo' }, '');
    const clearButton = h('button', { type: 'button', class: 'toggle', name: 'clear' }, '');
    const drawStatus = h('span', { class: 'small draw-status', role: 'status' });
    onDrawChange = () => {
      const drawing = draw.drawing();
      const n = draw.vertices();
      drawButton.textContent = drawing ? t('warning.drawDone') : t('warning.draw');
      drawButton.setAttribute('aria-pressed', String(drawing));
      undoButton.textContent = t('warning.drawUndo');
      undoButton.hidden = !drawing || n === 0;
      clearButton.textContent = t('warning.drawClear');
      clearButton.hidden = drawing || draw.polygon() === null;
      drawStatus.textContent = drawing
        ? tf('warning.drawing', n)
        : draw.polygon()
          ? tf('warning.drawn', n)
          : '';
      area.disabled = drawing || draw.polygon() !== null;
      form.dataset.area = draw.polygon() ? 'polygon' : 'townships';
    };
    drawButton.addEventListener('click', () => (draw.drawing() ? draw.finish() : draw.start()));
    undoButton.addEventListener('click', () => draw.undo());
    clearButton.addEventListener('click', () => draw.clear());
    const text = h('textarea', {
      name: 'body',
      rows: '2',
      maxlength: '4000',
      placeholder: t('warning.body'),
      required: '',
    }) as HTMLTextAreaElement;
    const measures = h('textarea', {
      name: 'measures',
      rows: '2',
      maxlength: '4000',
      placeholder: t('warning.measures'),
    }) as HTMLTextAreaElement;
    const hours = h('input', {
      name: 'hours',
      type: 'number',
      min: '1',
      max: '168',
      value: '72',
      'aria-label': t('warning.until'),
    }) as HTMLInputElement;
    const message = h('p', { class: 'small', role: 'alert' });
    const form = h(
      'form',
      { class: 'warning-form' },
      level,
      area,
      h('div', { class: 'draw-controls' }, drawButton, undoButton, clearButton, drawStatus),
      text,
      measures,
      h('label', { class: 'small' }, `${t('warning.until')} (h) `, hours),
      h('button', { type: 'submit', class: 'toggle' }, t('warning.issue')),
      message,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (draw.drawing()) draw.finish();
      const polygon = draw.polygon();
      const warning: WarningInput = {
        // The select offers the four signal levels only.
        level: level.value as WarningInput['level'],
        body: text.value.trim(),
        ...(measures.value.trim() ? { measures: measures.value.trim() } : {}),
        ...(polygon
          ? { polygon }
          : { townshipCodes: [...area.selectedOptions].map((o) => o.value) }),
        expiresAt: new Date(Date.now() + Number(hours.value) * 3600_000).toISOString(),
      };
      const res = await post<WarningView>('/api/warnings', warning);
      message.textContent = res.ok ? `${t('warning.issued')} ${res.value.identifier}` : res.message;
      if (res.ok) {
        text.value = '';
        draw.clear();
      }
    });
    onDrawChange();
    container.replaceChildren(h('details', {}, h('summary', {}, t('warning.issue')), form));
  };
  void render();
  return () => void render();
}
