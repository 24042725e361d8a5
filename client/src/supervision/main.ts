/**
 * 督战工作台: the supervision system's writes in one page — inspections with findings and
 * photos, findings put right, training per unit, special protection periods, drills,
 * publicity and the assessment office's notes on the flags. The signed-in user sees the forms
 * his role may use (supervisionForms, the rules the APIs ask); a refusal marks the field it
 * names; what was saved shows in the lists below.
 */
import '../style.css';
import './supervision.css';
import type { InspectionView, SupervisionChoices } from '../../../server/contract/supervision.ts';
import { type Actor, supervisionForms } from '../../../server/domain/access.ts';
import {
  applyTranslations,
  locale,
  onLocaleChange,
  setLocale,
  t,
  tf,
  tValue,
} from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { mountSession, Session } from '../panels/session.ts';
import { h } from '../ui/dom.ts';
import { supervisionApi } from './api.ts';
import { type FieldSpec, FORMS, type FormSpec, type Values } from './forms.ts';

const main = document.getElementById('sup-main') as HTMLElement;
const notice = document.getElementById('sup-notice') as HTMLElement;
const session = new Session();
mountSession(session, document.getElementById('signin-button') as HTMLButtonElement);
const langToggle = document.getElementById('lang-toggle') as HTMLButtonElement;
langToggle.addEventListener('click', () => setLocale(locale() === 'en' ? 'zh-CN' : 'en'));

const beijingDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const beijingTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

function input(form: string, f: FieldSpec, choices: SupervisionChoices, actor: Actor): HTMLElement {
  const attrs: Record<string, string> = { name: f.name, id: `${form}-${f.name}` };
  if (f.required && f.kind !== 'file') attrs.required = '';
  switch (f.kind) {
    case 'textarea':
      return h('textarea', { ...attrs, rows: '3', maxlength: '4000' });
    case 'select':
    case 'multi': {
      const sel = h('select', f.kind === 'multi' ? { ...attrs, multiple: '', size: '5' } : attrs);
      if (f.kind === 'select' && (f.blank || !f.required))
        sel.append(h('option', { value: '' }, f.blank ? t(f.blank) : '—'));
      const groups = new Map<string, HTMLElement>();
      for (const o of f.options?.(choices, actor) ?? []) {
        const el = h('option', { value: o.value }, o.label);
        if (!o.group) sel.append(el);
        else {
          let g = groups.get(o.group);
          if (!g) {
            g = h('optgroup', { label: o.group });
            groups.set(o.group, g);
            sel.append(g);
          }
          g.append(el);
        }
      }
      return sel;
    }
    case 'file':
      return h('input', {
        ...attrs,
        type: 'file',
        multiple: '',
        accept: 'image/jpeg,image/png,image/webp',
      });
    case 'number':
      return h('input', { ...attrs, type: 'number', min: '0', step: '1', inputmode: 'numeric' });
    case 'decimal':
      return h('input', { ...attrs, type: 'number', step: 'any', inputmode: 'decimal' });
    case 'datetime':
      return h('input', { ...attrs, type: 'datetime-local' });
    case 'date':
      return h('input', { ...attrs, type: 'date', value: beijingDay() });
    case 'month':
      return h('input', { ...attrs, type: 'month', value: beijingDay().slice(0, 7) });
    default:
      return h('input', { ...attrs, type: 'text', maxlength: '200' });
  }
}

function valuesOf(form: HTMLFormElement): Values {
  const v: Values = { text: {}, multi: {}, files: {} };
  for (const el of Array.from(form.elements)) {
    if (el instanceof HTMLSelectElement && el.multiple)
      v.multi[el.name] = Array.from(el.selectedOptions).map((o) => o.value);
    else if (el instanceof HTMLInputElement && el.type === 'file')
      v.files[el.name] = Array.from(el.files ?? []);
    else if (
      el instanceof HTMLInputElement ||
      el instanceof HTMLSelectElement ||
      el instanceof HTMLTextAreaElement
    )
      v.text[el.name] = el.value;
  }
  return v;
}

/** One form: progress while it is sent, the refusal on its field, cleared when saved. */
function mountForm(
  spec: FormSpec,
  choices: SupervisionChoices,
  actor: Actor,
  saved: () => void,
): HTMLElement {
  const status = h('p', { class: 'sup-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'sup-submit' }, t(spec.submitLabel));
  const form = h(
    'form',
    { class: 'sup-form', 'data-form': spec.id, novalidate: '' },
    ...spec.fields.map((f) =>
      h(
        'label',
        { class: `sup-field sup-${f.kind}`, 'data-field': f.name },
        h('span', {}, t(f.label), f.required ? h('b', { class: 'req' }, ' *') : null),
        input(spec.id, f, choices, actor),
        f.hint ? h('small', {}, t(f.hint)) : null,
      ),
    ),
    h('div', { class: 'sup-actions' }, submit, status),
  );
  const clear = () => {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.sup-field.invalid')) el.classList.remove('invalid');
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear();
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    status.className = 'sup-status busy';
    status.textContent = t('sup.sending');
    const out = await spec.send(valuesOf(form));
    submit.disabled = false;
    form.removeAttribute('aria-busy');
    if (out.ok) {
      status.className = 'sup-status ok';
      status.textContent = t('sup.saved');
      form.reset();
      saved();
      return;
    }
    // The field the server named, or the one it sits in (`position.lon` → `position`).
    const name = out.field?.split('.')[0] ?? '';
    const el = name ? form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`) : null;
    const label = el?.closest('.sup-field');
    if (el && label) {
      el.setAttribute('aria-invalid', 'true');
      label.classList.add('invalid');
      el.focus();
    }
    status.className = 'sup-status error';
    const what = label?.querySelector('span')?.firstChild?.textContent;
    status.textContent = what ? tf('sup.refusedField', what, out.message) : out.message;
  });
  return h(
    'section',
    { class: 'sup-card', id: `sup-${spec.id}` },
    h('h2', {}, t(spec.title)),
    form,
  );
}

/** Inspections with findings not yet put right, each with its rectification. */
async function renderFindings(list: HTMLElement, mayRectify: boolean): Promise<void> {
  const res = await supervisionApi.openInspections();
  list.replaceChildren();
  if (!res.ok) {
    list.append(h('li', { class: 'error' }, res.message));
    return;
  }
  if (res.value.length === 0) list.append(h('li', { class: 'muted' }, t('sup.findings.none')));
  for (const i of res.value.slice(0, 30)) list.append(findingRow(i, mayRectify, list));
}

function findingRow(i: InspectionView, mayRectify: boolean, list: HTMLElement): HTMLElement {
  const note = h('input', {
    type: 'text',
    name: 'note',
    maxlength: '2000',
    placeholder: t('sup.findings.notePlaceholder'),
  });
  const button = h('button', { type: 'submit' }, t('sup.findings.rectify'));
  const status = h('span', { class: 'sup-status', role: 'status' });
  const form = h('form', { class: 'sup-rectify' }, note, button, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    status.className = 'sup-status busy';
    status.textContent = t('sup.sending');
    const out = await supervisionApi.rectify(i.id, { note: note.value });
    button.disabled = false;
    if (out.ok) await renderFindings(list, mayRectify);
    else {
      note.setAttribute('aria-invalid', 'true');
      status.className = 'sup-status error';
      status.textContent = out.message;
    }
  });
  return h(
    'li',
    { 'data-inspection': i.id },
    h(
      'div',
      { class: 'sup-meta' },
      `${beijingTime(i.inspectedAt)} · ${i.townshipName ?? ''} · ${t(`rhythm.kind.${i.kind}`)} · ${i.inspector}`,
      i.photos.length ? ` · ${tf('sup.findings.photos', i.photos.length)}` : '',
    ),
    h('div', { class: 'sup-finding' }, i.findings ?? ''),
    mayRectify ? form : null,
  );
}

/** This year's training against 5,000 and per unit; the latest records. */
async function renderTraining(box: HTMLElement): Promise<void> {
  const year = Number(beijingDay().slice(0, 4));
  const [summary, list] = await Promise.all([
    supervisionApi.trainingSummary(year),
    supervisionApi.trainings(year),
  ]);
  box.replaceChildren();
  if (!summary.ok || !list.ok) {
    box.append(
      h('p', { class: 'error' }, summary.ok ? (list.ok ? '' : list.message) : summary.message),
    );
    return;
  }
  const c = summary.value.county;
  box.append(
    h(
      'p',
      { class: 'sup-progress', 'data-person-times': String(c.personTimes) },
      tf('sup.training.progress', year, c.personTimes, c.target),
      h('meter', {
        min: '0',
        max: String(c.target),
        value: String(Math.min(c.personTimes, c.target)),
      }),
    ),
    h(
      'table',
      { class: 'sup-table', id: 'training-units' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('sup.training.unit')),
          h('th', {}, t('sup.training.personTimes')),
        ),
      ),
      h(
        'tbody',
        {},
        summary.value.byUnit.length
          ? null
          : h('tr', {}, h('td', { colspan: '2', class: 'muted' }, t('sup.training.none'))),
        ...summary.value.byUnit.map((u) =>
          h(
            'tr',
            { 'data-crew': u.crewId ?? '' },
            h('td', {}, u.unitName ?? t('sup.training.noUnit')),
            h('td', { class: 'n' }, u.personTimes),
          ),
        ),
      ),
    ),
    h('h3', {}, t('sup.training.recent')),
    h(
      'ul',
      { class: 'sup-list', id: 'training-list' },
      ...list.value
        .slice(0, 20)
        .map((r) =>
          h(
            'li',
            { 'data-training': r.id },
            `${r.heldOn} · ${r.unitName ?? t('sup.training.noUnit')} · ${r.title} · ${tf('sup.training.times', r.personTimes)}`,
          ),
        ),
    ),
  );
}

async function render(): Promise<void> {
  await show();
  document.body.dataset.ready = 'true';
}

async function show(): Promise<void> {
  const actor = session.user;
  main.replaceChildren();
  notice.hidden = false;
  if (!actor) {
    notice.textContent = t('sup.signInFirst');
    return;
  }
  const may = supervisionForms(actor);
  if (!Object.values(may).some(Boolean)) {
    notice.textContent = tf('sup.noForms', tValue('role', actor.role));
    return;
  }
  const choices = await supervisionApi.choices();
  if (!choices.ok) {
    notice.textContent = choices.message;
    return;
  }
  notice.hidden = true;
  const findings = h('ul', { class: 'sup-list', id: 'open-findings' });
  const training = h('div', { id: 'training-summary' });
  const refresh = () => {
    if (may.rectify) void renderFindings(findings, may.rectify);
    if (may.training) void renderTraining(training);
  };
  const forms = FORMS.filter((f) => may[f.id]).map((f) =>
    mountForm(f, choices.value, actor, refresh),
  );
  const card = (id: string, title: MessageKey, body: HTMLElement) =>
    h('section', { class: 'sup-card', id }, h('h2', {}, t(title)), body);
  const lists = [
    may.rectify ? card('sup-findings', 'sup.findings.title', findings) : null,
    may.training ? card('sup-trainings', 'sup.training.listTitle', training) : null,
  ];
  main.append(
    h('div', { class: 'sup-forms' }, ...forms),
    h('div', { class: 'sup-lists' }, ...lists),
  );
  refresh();
}

applyTranslations();
session.onChange(() => void render());
onLocaleChange(() => void render());
void session.load();
