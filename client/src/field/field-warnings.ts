/**
 * Warnings (预警信息) on the ranger's phone: those in force for the township the phone is in,
 * loaded over HTTP and then pushed live over Socket.IO to the township's room, shown until
 * they expire. A warning for another township never reaches this page.
 */
import { io, type Socket } from 'socket.io-client';
import type { WarningView } from '../../../server/contract/warnings.ts';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../../server/domain/live-events.ts';
import { get } from '../api/http.ts';
import { t } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';

export function mountFieldWarnings(before: Element) {
  const section = h('section', {
    id: 'warnings',
    class: 'field-card warnings',
    'aria-live': 'assertive',
    hidden: '',
  });
  before.before(section);
  let township: string | null = null;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  let warnings: WarningView[] = [];

  const render = () => {
    const active = warnings.filter((w) => Date.parse(w.expiresAt) > Date.now());
    section.hidden = active.length === 0;
    section.replaceChildren(
      h('h2', {}, t('warning.title')),
      ...active.map((w) =>
        h(
          'div',
          { class: `warning warning-${w.level}`, 'data-id': w.id },
          h('strong', {}, w.title),
          h('p', {}, w.body),
          w.measures ? h('p', { class: 'small' }, `${t('warning.measures')}: ${w.measures}`) : '',
          h(
            'p',
            { class: 'muted small' },
            `${t('warning.until')} ${new Date(w.expiresAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}`,
          ),
        ),
      ),
    );
  };

  async function load() {
    if (!township) return;
    try {
      const res = await get<WarningView[]>(`/api/warnings?township=${township}`);
      if (res.ok) warnings = res.value;
    } catch {
      // offline: keep what was shown
    }
    render();
  }

  setInterval(render, 60_000);
  return {
    /** Follow the warnings of the township the phone is in. */
    follow(code: string | null) {
      if (!code || code === township) return;
      township = code;
      socket?.disconnect();
      socket = io({
        path: '/socket.io',
        transports: ['websocket', 'polling'],
        auth: { lastSeq: Number.MAX_SAFE_INTEGER, scope: { kind: 'township', code } },
      });
      socket.on('connect', () => void load());
      socket.on('warning:issued', (w) => {
        if (!w.townshipCodes.includes(code)) return;
        warnings = [w, ...warnings.filter((x) => x.id !== w.id)];
        render();
      });
      void load();
    },
  };
}
