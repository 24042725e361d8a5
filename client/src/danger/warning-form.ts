/**
 * Issuing a warning (发布预警) from the wall: a county commander picks any townships, a
 * township commander gets his own; level, text, measures and how long it is valid. The server
 * decides who may (403 otherwise) and pushes the warning live; a refusal is shown as is.
 */
import type { Actor } from '../../../server/domain/access.ts';
import { SIGNAL_NAMES } from '../../../server/domain/vocabulary.ts';
import { t } from '../i18n/i18n.ts';
import { getJson, h } from '../ui/dom.ts';

type WarZone = { id: number; name: string; townships: { code: string; name: string }[] };

export function mountWarningForm(container: HTMLElement, user: () => Actor | null): () => void {
  const render = async () => {
    const u = user();
    if (!u || (u.role !== 'county_command' && u.role !== 'township_commander')) {
      container.replaceChildren();
      return;
    }
    const { warZones } = await getJson<{ warZones: WarZone[] }>('/api/war-zones');
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
    const text = h('textarea', {
      name: 'body',
      rows: '2',
      maxlength: '4000',
      placeholder: '预警内容',
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
      text,
      measures,
      h('label', { class: 'small' }, `${t('warning.until')} (h) `, hours),
      h('button', { type: 'submit', class: 'toggle' }, t('warning.issue')),
      message,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const res = await fetch('/api/warnings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          level: level.value,
          body: text.value.trim(),
          ...(measures.value.trim() ? { measures: measures.value.trim() } : {}),
          townshipCodes: [...area.selectedOptions].map((o) => o.value),
          expiresAt: new Date(Date.now() + Number(hours.value) * 3600_000).toISOString(),
        }),
      });
      const body = (await res.json()) as { message?: string; identifier?: string };
      message.textContent = res.ok
        ? `${t('warning.issued')} ${body.identifier ?? ''}`
        : (body.message ?? `HTTP ${res.status}`);
      if (res.ok) text.value = '';
    });
    container.replaceChildren(h('details', {}, h('summary', {}, t('warning.issue')), form));
  };
  void render();
  return () => void render();
}
