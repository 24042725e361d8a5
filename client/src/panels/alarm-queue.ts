/**
 * The lookout operator's alarm queue (issue 16, item 4): camera alarms nobody has confirmed
 * or dismissed yet, each with its picture, camera, bearing and confidence. One key acts on
 * the focused alarm: C confirms the fire, D dismisses it as a false alarm (both through the
 * incident's state transitions, verifying first). Beside each alarm: the other cameras that
 * can look at the place (which way to turn each, and their own pictures of the last half
 * hour) and, when two or more cameras see the fire, where their bearings meet. Shown only to a
 * signed-in user who has alarms he may act on; refreshed every 10 s and after each action.
 */

import type { QueuedAlarm } from '../../../server/contract/cameras.ts';
import { get, post } from '../api/http.ts';
import { onLocaleChange, t, tf } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';
import type { Session } from './session.ts';

const REFRESH_MS = 10_000;

async function move(incidentId: string, to: string): Promise<boolean> {
  return (await post(`/api/incidents/${incidentId}/transitions`, { to })).ok;
}

/** Confirm (or dismiss) from reported or verifying: verifying first when still reported. */
async function decide(alarm: QueuedAlarm, to: 'confirmed' | 'false_alarm'): Promise<boolean> {
  if (alarm.incident.state === 'reported' && !(await move(alarm.incident.id, 'verifying')))
    return false;
  return move(alarm.incident.id, to);
}

export function mountAlarmQueue(container: HTMLElement, session: Session): void {
  let alarms: QueuedAlarm[] = [];
  const render = () => {
    container.hidden = alarms.length === 0;
    const items = alarms.map((a) => {
      const li = h(
        'li',
        {
          tabindex: '0',
          'data-incident': a.incident.id,
          'data-camera': a.camera.id,
          class: `alarm confidence-${a.confidence}`,
        },
        a.photoUrls[0]
          ? h('img', { src: a.photoUrls[0], alt: t('alarms.picture'), width: '96' })
          : null,
        h(
          'div',
          {},
          h('strong', {}, a.camera.name),
          ` · ${a.bearingDeg === null ? '—' : `${a.bearingDeg.toFixed(1)}°`} · ${t(`alarms.confidence.${a.confidence}`)}`,
          h('br'),
          `${new Date(a.firstAt).toLocaleTimeString()} · ${a.posts}×`,
          a.fix
            ? h(
                'div',
                { class: 'fix' },
                tf('alarms.fix', a.fixBearings, Math.round(a.fix.ellipse.semiMajorM)),
              )
            : null,
          a.otherCameras.length
            ? h(
                'div',
                { class: 'others' },
                `${t('alarms.others')}:`,
                ...a.otherCameras.map((o) =>
                  h(
                    'div',
                    { class: 'other', 'data-camera': o.id },
                    `${o.name} · ${tf('alarms.turnTo', o.bearingDeg.toFixed(1), (o.distanceM / 1000).toFixed(1))}`,
                    ...o.photoUrls.map((src) =>
                      h('img', { src, alt: tf('alarms.otherView', o.name), width: '64' }),
                    ),
                  ),
                ),
              )
            : null,
          h('button', { type: 'button', 'data-act': 'confirm' }, t('alarms.confirm')),
          h('button', { type: 'button', 'data-act': 'dismiss' }, t('alarms.dismiss')),
        ),
      );
      const act = async (to: 'confirmed' | 'false_alarm') => {
        li.setAttribute('aria-busy', 'true');
        await decide(a, to);
        await refresh();
      };
      li.querySelector('[data-act="confirm"]')?.addEventListener(
        'click',
        () => void act('confirmed'),
      );
      li.querySelector('[data-act="dismiss"]')?.addEventListener(
        'click',
        () => void act('false_alarm'),
      );
      li.addEventListener('keydown', (e) => {
        if (e.target !== li) return;
        if (e.key === 'c' || e.key === 'C') void act('confirmed');
        if (e.key === 'd' || e.key === 'D') void act('false_alarm');
      });
      return li;
    });
    container.replaceChildren(
      h('h2', {}, `${t('alarms.title')} (${alarms.length})`, h('small', {}, t('alarms.keys'))),
      h('ul', {}, ...items),
    );
  };
  const refresh = async () => {
    if (!session.user) {
      alarms = [];
      return render();
    }
    const res = await get<QueuedAlarm[]>('/api/camera-alarms/queue');
    alarms = res.ok ? res.value : [];
    render();
  };
  session.onChange(() => void refresh());
  onLocaleChange(render);
  setInterval(() => void refresh(), REFRESH_MS);
  void refresh();
}
