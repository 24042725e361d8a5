/**
 * The supervision work page's forms, declared: each field is named as the API body's field,
 * so a refusal naming `field` marks that input. What each form sends is built here from the
 * inputs' values, typed by the wire contract; which forms a user sees is supervisionForms
 * (server/domain/access.ts), the same rules the APIs ask.
 */
import type { SupervisionChoices } from '../../../server/contract/supervision.ts';
import type { Actor, supervisionForms } from '../../../server/domain/access.ts';
import { INSPECTION_KINDS } from '../../../server/domain/vocabulary.ts';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { type Outcome, supervisionApi } from './api.ts';

export type FormId = keyof ReturnType<typeof supervisionForms>;

export interface Option {
  value: string;
  label: string;
  group?: string;
}

export interface FieldSpec {
  name: string;
  label: MessageKey;
  kind:
    | 'text'
    | 'textarea'
    | 'number'
    | 'decimal'
    | 'date'
    | 'datetime'
    | 'month'
    | 'select'
    | 'multi'
    | 'file';
  required?: boolean;
  /** Options of a select; `blank` is the label of choosing none. */
  options?: (c: SupervisionChoices, actor: Actor) => Option[];
  blank?: MessageKey;
  hint?: MessageKey;
}

export interface Values {
  text: Record<string, string>;
  multi: Record<string, string[]>;
  files: Record<string, File[]>;
}

export interface FormSpec {
  id: Exclude<FormId, 'rectify'>;
  title: MessageKey;
  submitLabel: MessageKey;
  fields: FieldSpec[];
  send: (v: Values) => Promise<Outcome<unknown>>;
}

const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
const num = (v: string | undefined) => (v === undefined || v === '' ? Number.NaN : Number(v));
const optInt = (v: string | undefined) => (opt(v) === undefined ? undefined : Number(v));
/** A datetime-local value read as Beijing time (the county's clock), as ISO 8601. */
export const beijingInstant = (v: string) => new Date(`${v}:00+08:00`).toISOString();

/** Townships the actor may name: his own for a township commander, else all. */
const townships = (c: SupervisionChoices, a: Actor): Option[] =>
  c.townships
    .filter((t) => a.role !== 'township_commander' || t.code === a.townshipCode)
    .map((t) => ({ value: t.code, label: t.name }));

const villages = (c: SupervisionChoices, a: Actor): Option[] => {
  const names = new Map(c.townships.map((t) => [t.code, t.name]));
  return c.villages
    .filter((v) =>
      a.role === 'village_head'
        ? v.code === a.villageCode
        : a.role !== 'township_commander' || v.townshipCode === a.townshipCode,
    )
    .map((v) => ({ value: v.code, label: v.name, group: names.get(v.townshipCode) ?? '' }));
};

const crews = (c: SupervisionChoices, a: Actor): Option[] => {
  const names = new Map(c.townships.map((t) => [t.code, t.name]));
  return c.crews
    .filter((k) => a.role !== 'township_commander' || k.townshipCode === a.townshipCode)
    .map((k) => ({
      value: k.id,
      label: k.name,
      group: k.townshipCode ? (names.get(k.townshipCode) ?? k.townshipCode) : t('sup.countyLevel'),
    }));
};

const kinds = (): Option[] =>
  INSPECTION_KINDS.map((k) => ({ value: k, label: t(`rhythm.kind.${k}`) }));

export const FORMS: FormSpec[] = [
  {
    id: 'inspection',
    title: 'sup.inspection.title',
    submitLabel: 'sup.inspection.submit',
    fields: [
      {
        name: 'kind',
        label: 'sup.inspection.kind',
        kind: 'select',
        required: true,
        options: kinds,
      },
      { name: 'inspector', label: 'sup.inspection.inspector', kind: 'text', required: true },
      {
        name: 'townshipCode',
        label: 'sup.township',
        kind: 'select',
        required: true,
        options: townships,
      },
      { name: 'inspectedAt', label: 'sup.inspection.at', kind: 'datetime', hint: 'sup.nowHint' },
      { name: 'findings', label: 'sup.inspection.findings', kind: 'textarea' },
      { name: 'photos', label: 'sup.inspection.photos', kind: 'file' },
    ],
    send: async (v) => {
      const t = v.text;
      const saved = await supervisionApi.recordInspection({
        kind: t.kind as (typeof INSPECTION_KINDS)[number],
        inspector: t.inspector ?? '',
        townshipCode: t.townshipCode ?? '',
        ...(opt(t.inspectedAt) ? { inspectedAt: beijingInstant(t.inspectedAt as string) } : {}),
        ...(opt(t.findings) ? { findings: t.findings } : {}),
      });
      const photos = v.files.photos ?? [];
      if (!saved.ok || photos.length === 0) return saved;
      return supervisionApi.addInspectionPhotos(saved.value.id, photos);
    },
  },
  {
    id: 'training',
    title: 'sup.training.title',
    submitLabel: 'sup.training.submit',
    fields: [
      { name: 'title', label: 'sup.training.name', kind: 'text', required: true },
      { name: 'heldOn', label: 'sup.heldOn', kind: 'date', required: true },
      {
        name: 'crewId',
        label: 'sup.training.crew',
        kind: 'select',
        options: crews,
        blank: 'sup.training.noCrew',
      },
      {
        name: 'unitName',
        label: 'sup.training.unitName',
        kind: 'text',
        hint: 'sup.training.unitHint',
      },
      {
        name: 'townshipCode',
        label: 'sup.township',
        kind: 'select',
        options: townships,
        blank: 'sup.countyLevel',
      },
      { name: 'audience', label: 'sup.training.audience', kind: 'text', required: true },
      { name: 'personTimes', label: 'sup.training.personTimes', kind: 'number', required: true },
    ],
    send: (v) => {
      const t = v.text;
      return supervisionApi.recordTraining({
        title: t.title ?? '',
        heldOn: t.heldOn ?? '',
        audience: t.audience ?? '',
        personTimes: num(t.personTimes),
        ...(opt(t.townshipCode) ? { townshipCode: t.townshipCode } : {}),
        ...(opt(t.crewId) ? { crewId: t.crewId } : {}),
        // Sent as typed: a name of spaces is the server's to refuse, on this field.
        ...(t.unitName ? { unitName: t.unitName } : {}),
      });
    },
  },
  {
    id: 'period',
    title: 'sup.period.title',
    submitLabel: 'sup.period.submit',
    fields: [
      { name: 'title', label: 'sup.period.name', kind: 'text', required: true },
      { name: 'startsAt', label: 'sup.period.startsAt', kind: 'datetime', required: true },
      { name: 'endsAt', label: 'sup.period.endsAt', kind: 'datetime', required: true },
      {
        name: 'townshipCodes',
        label: 'sup.period.townships',
        kind: 'multi',
        options: townships,
        hint: 'sup.period.allHint',
      },
    ],
    send: (v) =>
      supervisionApi.declarePeriod({
        title: v.text.title ?? '',
        startsAt: beijingInstant(v.text.startsAt ?? ''),
        endsAt: beijingInstant(v.text.endsAt ?? ''),
        townshipCodes: v.multi.townshipCodes ?? [],
      }),
  },
  {
    id: 'drill',
    title: 'sup.drill.title',
    submitLabel: 'sup.drill.submit',
    fields: [
      { name: 'title', label: 'sup.drill.name', kind: 'text', required: true },
      { name: 'heldOn', label: 'sup.heldOn', kind: 'date', required: true },
      {
        name: 'townshipCode',
        label: 'sup.township',
        kind: 'select',
        options: townships,
        blank: 'sup.countyLevel',
      },
      {
        name: 'departments',
        label: 'sup.drill.departments',
        kind: 'text',
        hint: 'sup.drill.departmentsHint',
      },
      { name: 'participants', label: 'sup.drill.participants', kind: 'number', required: true },
      { name: 'notes', label: 'sup.drill.notes', kind: 'textarea' },
      { name: 'lon', label: 'sup.drill.lon', kind: 'decimal', hint: 'sup.drill.startHint' },
      { name: 'lat', label: 'sup.drill.lat', kind: 'decimal' },
    ],
    send: async (v) => {
      const t = v.text;
      const departments = (t.departments ?? '')
        .split(/[,,、\s]+/)
        .map((d) => d.trim())
        .filter(Boolean);
      const drill = await supervisionApi.recordDrill({
        title: t.title ?? '',
        heldOn: t.heldOn ?? '',
        participants: num(t.participants),
        ...(opt(t.townshipCode) ? { townshipCode: t.townshipCode } : {}),
        ...(departments.length ? { departments } : {}),
        ...(opt(t.notes) ? { notes: t.notes } : {}),
      });
      // With a fire point: drill mode, its simulated report opened as this drill at once.
      if (!drill.ok || (opt(t.lon) === undefined && opt(t.lat) === undefined)) return drill;
      const started = await supervisionApi.startDrill(drill.value.id, {
        clientUuid: crypto.randomUUID(),
        position: { lon: num(t.lon), lat: num(t.lat) },
        observedAt: new Date().toISOString(),
      });
      // The refusal of `position` (outside the county or the township) is the point's.
      return started.ok || !started.field?.startsWith('position')
        ? started
        : { ...started, field: started.field === 'position.lat' ? 'lat' : 'lon' };
    },
  },
  {
    id: 'publicity',
    title: 'sup.publicity.title',
    submitLabel: 'sup.publicity.submit',
    fields: [
      {
        name: 'villageCode',
        label: 'sup.publicity.village',
        kind: 'select',
        required: true,
        options: villages,
      },
      { name: 'recordedOn', label: 'sup.publicity.on', kind: 'date', required: true },
      { name: 'channel', label: 'sup.publicity.channel', kind: 'text', required: true },
      { name: 'householdsTotal', label: 'sup.publicity.total', kind: 'number', required: true },
      {
        name: 'householdsVisited',
        label: 'sup.publicity.visited',
        kind: 'number',
        required: true,
      },
      { name: 'pledgesSigned', label: 'sup.publicity.pledges', kind: 'number', required: true },
      { name: 'surveyedPersons', label: 'sup.publicity.surveyed', kind: 'number' },
      { name: 'awarePersons', label: 'sup.publicity.aware', kind: 'number' },
    ],
    send: (v) => {
      const t = v.text;
      const aware = optInt(t.awarePersons);
      const surveyed = optInt(t.surveyedPersons);
      return supervisionApi.recordPublicity({
        villageCode: t.villageCode ?? '',
        recordedOn: t.recordedOn ?? '',
        channel: t.channel ?? '',
        householdsTotal: num(t.householdsTotal),
        householdsVisited: num(t.householdsVisited),
        pledgesSigned: num(t.pledgesSigned),
        ...(aware === undefined ? {} : { awarePersons: aware }),
        ...(surveyed === undefined ? {} : { surveyedPersons: surveyed }),
      });
    },
  },
  {
    id: 'annotate',
    title: 'sup.annotate.title',
    submitLabel: 'sup.annotate.submit',
    fields: [
      { name: 'month', label: 'sup.annotate.month', kind: 'month', required: true },
      {
        name: 'code',
        label: 'sup.annotate.area',
        kind: 'select',
        required: true,
        options: (c, a) => [
          ...townships(c, a).map((o) => ({ ...o, group: t('sup.township') })),
          ...villages(c, a),
        ],
      },
      { name: 'note', label: 'sup.annotate.note', kind: 'textarea', required: true },
    ],
    send: (v) =>
      supervisionApi.annotateFlag({
        month: v.text.month ?? '',
        level: (v.text.code ?? '').length === 9 ? 'township' : 'village',
        code: v.text.code ?? '',
        note: v.text.note ?? '',
      }),
  },
];
