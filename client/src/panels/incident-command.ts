/**
 * The incident card's command section: the forward command post (前指), placed by clicking
 * the map and named, and the orders to the crews sent with their delivery and read receipts.
 * Drawn with lit-html: a live event patches only what changed, so an order being typed (kept
 * per incident as a draft), a post's name, the keyboard's focus and the caret stay where the
 * commander left them. Refusals are the card's (they stay in their slots until dismissed).
 */
import { html, nothing, render } from 'lit-html';
import { live as liveValue } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import type { IncidentCommand } from '../../../server/contract/command.ts';
import type { IncidentSummary } from '../../../server/domain/live-events.ts';
import { t } from '../i18n/i18n.ts';
import { pickOnMap } from '../map/map-pick.ts';
import { h } from '../ui/dom.ts';
import { clockTime } from './card-time.ts';

/** The fire's command post and orders, as GET /api/incidents/{id}/command answers. */
export type CommandState = IncidentCommand;

/** What the section asks of its card. */
export interface CommandSectionHost {
  map: MapLibreMap;
  /** The incident on the card, if any. */
  incident(): IncidentSummary | null;
  /** Its command post and orders, once loaded. */
  command(): CommandState | undefined;
  /** Does the signed-in user command this fire (and is its detail loaded)? */
  commands(): boolean;
  /** Is a crew serving this fire (orders go to the crews sent)? */
  serving(): boolean;
  /** POST from a slot: false when refused (the card says why in the slot). */
  act(slot: 'post' | 'order', url: string, body: Record<string, unknown>): Promise<boolean>;
  /** A request under way in this slot: its buttons wait. */
  busy(slot: 'post' | 'order'): boolean;
  /** The slot where the card says a refusal (kept as it is across redraws). */
  refusalSlot(slot: 'post' | 'order'): HTMLElement;
  /** The user acts again in this slot: its last refusal goes. */
  clearRefusal(slot: 'post' | 'order'): void;
  /** The incident's detail changed on the server: read it again. */
  reload(): Promise<void>;
}

export interface CommandSection {
  /** The section's title (h3) and body, placed on the card once. */
  readonly title: HTMLElement;
  readonly el: HTMLElement;
  /** Draw what changed. */
  update(): void;
  /** Another incident on the card (null: none): its draft order, no pick under way. */
  switchTo(id: string | null): void;
  /** The command post's marker on the map (null: none). */
  showPost(cp: CommandState['commandPost']): void;
}

export function mountCommandSection(host: CommandSectionHost): CommandSection {
  const title = h('h3', {});
  const el = h('div', { class: 'command' });
  /** Orders typed and not sent, per incident: switching fires and back keeps them. */
  const drafts = new Map<string, string>();
  let incidentId: string | null = null;
  let orderText = '';
  let postName = '';
  let picking = false;
  let picked: [number, number] | null = null;
  let cancelPick: (() => void) | null = null;
  let pickMarker: Marker | null = null;
  let postMarker: Marker | null = null;

  const input = (id: string) => el.querySelector<HTMLInputElement>(`#${id}`);

  function startPick() {
    const inc = host.incident();
    if (!inc) return;
    host.clearRefusal('post');
    picking = true;
    picked = null;
    pickMarker?.remove();
    cancelPick = pickOnMap(
      host.map,
      (lngLat) => {
        picking = false;
        picked = lngLat;
        pickMarker?.remove();
        pickMarker = new Marker({
          element: h('div', { class: 'command-post-marker pending' }, '指'),
        })
          .setLngLat(lngLat)
          .addTo(host.map);
        if (!postName.trim())
          postName = `${inc.villageName ?? inc.townshipName ?? ''}${t('command.defaultName')}`;
        update();
        input('post-name')?.focus();
        input('post-name')?.select();
      },
      () => endPick(),
    );
    update();
  }

  function endPick() {
    const cancel = cancelPick;
    cancelPick = null;
    cancel?.();
    picking = false;
    picked = null;
    pickMarker?.remove();
    pickMarker = null;
    update();
  }

  async function submitPost() {
    const id = incidentId;
    if (!id || !picked) return;
    const name = postName.trim() || t('command.defaultName');
    const [lon, lat] = picked;
    if (await host.act('post', `/api/incidents/${id}/command-post`, { name, lon, lat })) {
      postName = '';
      endPick();
      await host.reload();
    }
  }

  async function sendOrder() {
    const id = incidentId;
    const text = orderText.trim();
    if (!id || !text) return;
    if (await host.act('order', `/api/incidents/${id}/orders`, { text })) {
      // Only the order sent leaves the box: what was typed meanwhile stays.
      if (incidentId === id && orderText.trim() === text) orderText = '';
      drafts.delete(id);
      await host.reload();
    }
    update();
  }

  const mayNotSend = () => !host.serving() || !orderText.trim() || host.busy('order');
  const onOrderInput = (e: Event) => {
    orderText = (e.target as HTMLInputElement).value;
    if (incidentId) drafts.set(incidentId, orderText);
    update();
  };
  const onOrderKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !mayNotSend()) void sendOrder();
  };
  const onPostName = (e: Event) => {
    postName = (e.target as HTMLInputElement).value;
  };

  function update() {
    const inc = host.incident();
    if (!inc) return;
    title.textContent = t('command.title');
    const c = host.command();
    const commander = host.commands();
    const serving = host.serving();
    const orderNote = commander && !serving ? t('card.orderNeedsCrew') : '';
    const cp = c?.commandPost;
    render(
      html`<div class="post-line">${
        cp
          ? html`<p data-post=${cp.name}>${`${t('command.post')}: ${cp.name} `}<span
                class="muted small"
                >${`${cp.location[0].toFixed(4)}, ${cp.location[1].toFixed(4)}`}</span
              ></p>`
          : nothing
      }</div
        ><div class="actions" ?hidden=${!commander}
          ><button
            type="button"
            class="dispatch"
            data-command-post=""
            ?disabled=${picking || host.busy('post')}
            @click=${startPick}
          >${t('command.setPost')}</button></div
        ><p class="pick-prompt" role="status" ?hidden=${!picking}>${t('command.picking')}</p
        ><div class="post-form" ?hidden=${!commander || !picked}
          ><label
            ><span>${`${t('command.postName')} `}</span
            ><input
              type="text"
              maxlength="64"
              id="post-name"
              aria-label=${t('command.postName')}
              .value=${liveValue(postName)}
              @input=${onPostName} /></label
          ><span class="muted small"
            >${picked ? `${picked[0].toFixed(4)}, ${picked[1].toFixed(4)}` : ''}</span
          ><div class="row"
            ><button
              type="button"
              class="dispatch"
              data-place-post=""
              ?disabled=${host.busy('post')}
              @click=${() => void submitPost()}
            >${t('command.placePost')}</button
            ><button type="button" class="secondary" @click=${endPick}
              >${t('command.cancel')}</button
            ></div
          ></div
        >${host.refusalSlot('post')}<div class="order-row" ?hidden=${!commander}
          ><input
            type="text"
            maxlength="500"
            id="order-text"
            autocomplete="off"
            aria-label=${t('command.order')}
            placeholder=${t('command.order')}
            .value=${liveValue(orderText)}
            @input=${onOrderInput}
            @keydown=${onOrderKey} /><button
            type="button"
            class="dispatch"
            data-send-order=""
            ?disabled=${mayNotSend()}
            @click=${() => void sendOrder()}
          >${t('command.send')}</button></div
        ><p class="muted small" ?hidden=${orderNote === ''}>${orderNote}</p
        >${host.refusalSlot('order')}<div>${
          c && c.orders.length > 0
            ? html`<ul class="orders">${repeat(
                c.orders,
                (o) => o.id,
                (o) => {
                  const delivered = o.receipts.filter((r) => r.deliveredAt).length;
                  const read = o.receipts.filter((r) => r.readAt).length;
                  return html`<li data-order=${o.id} data-read=${String(read)}
                    ><span class="muted">${`${clockTime(o.sentAt)} `}</span>${o.text}<span
                      class="receipts muted small"
                      >${` · ${t('command.delivered')} ${delivered}/${o.receipts.length} · ${t('command.read')} ${read}/${o.receipts.length}`}</span
                    ></li
                  >`;
                },
              )}</ul>`
            : nothing
        }</div>`,
      el,
    );
  }

  return {
    title,
    el,
    update,
    switchTo(id) {
      if (id === incidentId) return;
      endPick();
      incidentId = id;
      postName = '';
      orderText = id ? (drafts.get(id) ?? '') : '';
      update();
    },
    showPost(cp) {
      postMarker?.remove();
      postMarker = null;
      if (!cp) return;
      const marker = h('div', { class: 'command-post-marker', title: cp.name }, '指');
      postMarker = new Marker({ element: marker }).setLngLat(cp.location).addTo(host.map);
    },
  };
}
