/**
 * The supervision work page's one way to the server: every read and write of the page goes
 * through here, typed by the wire contract (server/contract/supervision.ts). A refusal comes
 * back as the field it names and its text in the user's language (i18n/refusal.ts).
 */
import type { DrillStarted } from '../../../server/contract/drills.ts';
import type {
  DrillInput,
  DrillStartInput,
  FlagAnnotationInput,
  InspectionInput,
  InspectionPhotosAnswer,
  InspectionView,
  ProtectionPeriodInput,
  PublicityInput,
  PublicityRecorded,
  Recorded,
  RectificationInput,
  SupervisionChoices,
  TrainingInput,
  TrainingSummary,
  TrainingView,
} from '../../../server/contract/supervision.ts';
import type { FlagAnnotation } from '../../../server/domain/flags.ts';
import * as http from '../api/http.ts';
import { refusalOf, refusalText } from '../i18n/refusal.ts';

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; field: string | null; message: string };

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Outcome<T>> {
  const res = await http.call<T>(method, url, body);
  if (res.ok) return { ok: true, value: res.value };
  return {
    ok: false,
    status: res.status,
    field: res.field,
    message: refusalText(res.status === 0 ? { code: 'network' } : refusalOf(res.status, res.error)),
  };
}

const post = <T>(url: string, body: unknown) => call<T>('POST', url, body);
const get = <T>(url: string) => call<T>('GET', url);

export const supervisionApi = {
  choices: () => get<SupervisionChoices>('/api/supervision/choices'),
  openInspections: () => get<InspectionView[]>('/api/inspections?open=true'),
  trainings: (year: number) => get<TrainingView[]>(`/api/trainings?year=${year}`),
  trainingSummary: (year: number) => get<TrainingSummary>(`/api/trainings/summary?year=${year}`),

  declarePeriod: (b: ProtectionPeriodInput) => post<Recorded>('/api/protection-periods', b),
  recordInspection: (b: InspectionInput) => post<InspectionView>('/api/inspections', b),
  addInspectionPhotos: (id: string, files: readonly File[]) => {
    const form = new FormData();
    for (const f of files) form.append('photos', f, f.name);
    return post<InspectionPhotosAnswer>(`/api/inspections/${id}/photos`, form);
  },
  rectify: (id: string, b: RectificationInput) =>
    post<InspectionView>(`/api/inspections/${id}/rectification`, b),
  recordDrill: (b: DrillInput) => post<Recorded>('/api/drills', b),
  startDrill: (id: string, b: DrillStartInput) => post<DrillStarted>(`/api/drills/${id}/start`, b),
  recordTraining: (b: TrainingInput) => post<TrainingView>('/api/trainings', b),
  recordPublicity: (b: PublicityInput) => post<PublicityRecorded>('/api/publicity', b),
  annotateFlag: (b: FlagAnnotationInput) => post<FlagAnnotation>('/api/flags/annotations', b),
};
