/**
 * The situation at a glance (issue 19, item 3): a bar under the title with the date and clock
 * of the county (Asia/Shanghai), open fires by state, the 10/20/30 targets missed, crews on
 * duty and committed, fires by command level, stale fires, the last event's age and the
 * fire-danger strip; and the event feed, the latest events in words. The fire counts are
 * server/domain/situation.ts over the live list (so they move with every event and every
 * deadline); crews and the feed's first lines come from GET /api/situation.
 */
import type { FeedEvent, Situation } from '../../../server/contract/situation.ts';
import { type LiveIncidentEvent, publicTextOf } from '../../../server/domain/live-events.ts';
import { OPEN_STATES, situationOf } from '../../../server/domain/situation.ts';
import { getJson } from '../api/http.ts';
import { forCounty } from '../county-choice.ts';
import { locale, onLocaleChange, t, tValue } from '../i18n/i18n.ts';
import { ago } from '../live/countdown.ts';
import type { LiveIncidents } from '../live/live-client.ts';
import { h } from '../ui/dom.ts';

const FEED_SHOWN = 8;
const TARGETS = ['arrive', 'control', 'extinguish'] as const;
const LEVELS = ['village', 'township', 'county'] as const;

/** "2026-03-10 周二" and "14:05:09" in the county's time, whatever the machine's zone. */
export function countyClock(ms: number, zh: boolean): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat(zh ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return {
    date: `${p('year')}-${p('month')}-${p('day')} ${p('weekday')}`,
    time: `${p('hour')}:${p('minute')}:${p('second')}`,
  };
}

/** A live event as the feed shows it: what a public room hears of it (no actor, no notes). */
export function feedItem(e: LiveIncidentEvent): FeedEvent {
  const item: FeedEvent = {
    seq: e.seq,
    incidentId: e.incidentId,
    type: e.type,
    at: e.at,
    townshipName: e.incident.townshipName,
    villageName: e.incident.villageName,
  };
  if (e.incident.drill) item.drill = true;
  return { ...item, ...publicTextOf(e.payload) };
}

/** The words after the event's name: the new state, the target missed, the new level. */
function detail(e: FeedEvent): string {
  if (e.type === 'state_changed' && e.to) return ` → ${tValue('state', e.to)}`;
  if (e.type === 'target_breached' && e.target) return ` ${tValue('target', e.target)}`;
  if (e.type === 'escalated' && e.to) return ` → ${tValue('level', e.to)}`;
  if (e.type === 'dispatch_updated' && e.to) return ` → ${tValue('dispatch', e.to)}`;
  return '';
}

/** HH:MM on the county's clock (Beijing time), whatever the screen's time zone. */
export const beijingHhmm = (iso: string) =>
  new Date(iso).toLocaleTimeString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
  });

export function mountSituation(
  live: LiveIncidents,
  bar: HTMLElement,
  feedEl: HTMLElement,
  /** Opens an incident's card from the feed. */
  select: (incidentId: string) => void,
): { refresh(): void } {
  let server: Situation | null = null;
  let feed: FeedEvent[] = [];
  let lastEventAt: number | null = null;

  const clock = h('span', { class: 'sb-clock', 'data-sb': 'clock', title: 'Asia/Shanghai' });
  const counts = h('span', { class: 'sb-counts' });
  const danger = h('div', { id: 'situation-danger', class: 'sb-danger' });
  bar.replaceChildren(clock, counts, danger);
  bar.setAttribute('aria-label', t('situation.label'));

  const value = (text: string | number, attrs: Record<string, string>) =>
    h('b', { class: 'sb-value', ...attrs }, String(text));

  function renderClock() {
    const c = countyClock(live.now(), locale() === 'zh-CN');
    clock.replaceChildren(
      h('span', { class: 'sb-date' }, c.date),
      ' ',
      h('span', { class: 'sb-time' }, c.time),
    );
  }

  function renderCounts() {
    const now = live.now();
    const c = situationOf(live.incidents.values(), now);
    const zh = locale() === 'zh-CN';
    const states = OPEN_STATES.filter((s) => c.byState[s] > 0).map((s) =>
      h(
        'span',
        { class: `sb-state state-${s}`, 'data-state': s },
        `${tValue('state', s)} `,
        value(c.byState[s], { 'data-count': s }),
      ),
    );
    const missed = TARGETS.reduce((n, target) => n + c.breaches[target], 0);
    counts.replaceChildren(
      h(
        'span',
        { class: 'sb-item sb-open', 'data-sb': 'open' },
        h('span', { class: 'sb-label' }, t('situation.open')),
        ' ',
        value(c.open, { 'data-count': 'open' }),
        states.length > 0 ? h('span', { class: 'sb-states' }, ...states) : null,
      ),
      h(
        'span',
        { class: `sb-item sb-breaches${missed > 0 ? ' alert' : ''}`, 'data-sb': 'breaches' },
        h('span', { class: 'sb-label' }, t('situation.breaches')),
        ...TARGETS.map((target) =>
          h(
            'span',
            { class: 'sb-part' },
            ` ${tValue('target', target)} `,
            value(c.breaches[target], { 'data-breach': target }),
          ),
        ),
      ),
      h(
        'span',
        { class: 'sb-item sb-crews', 'data-sb': 'crews' },
        h('span', { class: 'sb-label' }, t('situation.crews')),
        ' ',
        value(server ? server.crews.onDuty : '—', { 'data-crews': 'onDuty' }),
        ` ${t('situation.committed')} `,
        value(server ? server.crews.committed : '—', { 'data-crews': 'committed' }),
      ),
      h(
        'span',
        { class: 'sb-item sb-levels', 'data-sb': 'levels' },
        ...LEVELS.map((l) =>
          h(
            'span',
            { class: `sb-part level-${l}` },
            `${tValue('level', l)} `,
            value(c.byLevel[l], { 'data-level': l }),
            ' ',
          ),
        ),
      ),
      h(
        'span',
        { class: `sb-item sb-stale${c.stale > 0 ? ' alert' : ''}`, 'data-sb': 'stale' },
        h('span', { class: 'sb-label' }, t('situation.stale')),
        ' ',
        value(c.stale, { 'data-count': 'stale' }),
      ),
      h(
        'span',
        { class: 'sb-item sb-last', 'data-sb': 'last' },
        h('span', { class: 'sb-label' }, t('situation.lastEvent')),
        ' ',
        lastEventAt === null ? t('situation.noEvents') : ago(now - lastEventAt, zh),
      ),
    );
  }

  function renderFeed() {
    const zh = locale() === 'zh-CN';
    const shown = feed.slice(0, FEED_SHOWN);
    feedEl.replaceChildren(
      h('h2', {}, t('feed.title')),
      shown.length === 0
        ? h('p', { class: 'muted' }, t('feed.empty'))
        : h(
            'ol',
            { class: 'feed' },
            ...shown.map((e) => {
              const b = h(
                'button',
                { type: 'button', class: `feed-item ev-${e.type}` },
                h('span', { class: 'feed-time' }, beijingHhmm(e.at)),
                ' ',
                e.drill ? h('span', { class: 'drill-tag' }, t('incidents.drill')) : null,
                e.drill ? ' ' : null,
                h('span', { class: 'feed-where' }, `${e.townshipName ?? ''}${e.villageName ?? ''}`),
                ' · ',
                h('span', { class: 'feed-what' }, `${tValue('event', e.type)}${detail(e)}`),
              );
              b.title = ago(live.now() - Date.parse(e.at), zh);
              b.addEventListener('click', () => select(e.incidentId));
              return h('li', { 'data-seq': String(e.seq), 'data-incident': e.incidentId }, b);
            }),
          ),
    );
  }

  function addToFeed(items: FeedEvent[]) {
    const bySeq = new Map(feed.map((e) => [e.seq, e]));
    for (const e of items) bySeq.set(e.seq, e);
    feed = [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, 2 * FEED_SHOWN);
    const newest = feed[0];
    if (newest) lastEventAt = Math.max(lastEventAt ?? 0, Date.parse(newest.at));
  }

  let loading: Promise<void> | null = null;
  async function load() {
    try {
      server = await getJson<Situation>(forCounty('/api/situation'));
      addToFeed(server.events);
      renderCounts();
      renderFeed();
      bar.dataset.ready = 'true';
    } catch (err) {
      console.warn(err);
    }
  }
  /** Crews move with dispatches and arrivals: read them again shortly after events. */
  let pending: ReturnType<typeof setTimeout> | null = null;
  const reloadSoon = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      loading = load();
    }, 1500);
  };

  live.onChange((e) => {
    if (e) {
      addToFeed([feedItem(e)]);
      renderFeed();
      reloadSoon();
    }
    renderCounts();
  });
  live.onCrew(() => reloadSoon());
  onLocaleChange(() => {
    bar.setAttribute('aria-label', t('situation.label'));
    renderClock();
    renderCounts();
    renderFeed();
  });
  // The clock, the deadlines and the ages move every second.
  setInterval(() => {
    renderClock();
    renderCounts();
  }, 1000);
  renderClock();
  renderCounts();
  renderFeed();
  loading = load();
  return {
    refresh() {
      void loading?.then(() => {
        loading = load();
      });
    },
  };
}
