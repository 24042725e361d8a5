/**
 * Search by township or village name, grid code or crew (combobox pattern, WAI-ARIA): type,
 * move with ↑/↓, Enter flies the map there. "/" anywhere on the page jumps to the box.
 */
import type { SearchAnswer, SearchHit } from '../../../server/contract/cards.ts';
import { getJson } from '../api/http.ts';
import { forCounty } from '../county-choice.ts';
import { onLocaleChange, t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { h } from '../ui/dom.ts';

const DEBOUNCE_MS = 150;

export function mountSearchBox(container: HTMLElement, onPick: (hit: SearchHit) => void): void {
  const input = h('input', {
    type: 'search',
    id: 'search-input',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'search-results',
    autocomplete: 'off',
    maxlength: '40',
  });
  const list = h('ul', { id: 'search-results', role: 'listbox', class: 'search-results' });
  list.hidden = true;
  container.append(input, list);

  let hits: SearchHit[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  const renderLabels = () => {
    input.placeholder = t('search.placeholder');
    input.setAttribute('aria-label', t('search.label'));
  };

  const renderList = () => {
    list.hidden = input.value.trim() === '';
    input.setAttribute('aria-expanded', String(!list.hidden));
    if (hits.length === 0) {
      list.replaceChildren(
        h('li', { class: 'muted', role: 'option', 'aria-disabled': 'true' }, t('search.none')),
      );
      input.removeAttribute('aria-activedescendant');
      return;
    }
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const li = h(
          'li',
          { role: 'option', id: `search-hit-${i}`, 'aria-selected': String(i === active) },
          h('span', { class: `tag tag-${hit.kind}` }, t(`search.kind.${hit.kind}` as MessageKey)),
          h('span', { class: 'name' }, hit.name),
          h('span', { class: 'muted' }, hit.context),
        );
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          pick(i);
        });
        return li;
      }),
    );
    if (active >= 0) input.setAttribute('aria-activedescendant', `search-hit-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };

  const pick = (i: number) => {
    const hit = hits[i];
    if (!hit) return;
    // A query still waiting (typed faster than the debounce) must not reopen the list.
    clearTimeout(timer);
    seq++;
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.value = hit.name;
    onPick(hit);
  };

  const query = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (q === '') {
      hits = [];
      renderList();
      return;
    }
    try {
      const res = await getJson<SearchAnswer>(forCounty(`/api/search?q=${encodeURIComponent(q)}`));
      if (mine !== seq) return;
      hits = res.hits;
      active = hits.length > 0 ? 0 : -1;
    } catch {
      hits = [];
    }
    renderList();
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(query, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length === 0) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + hits.length) % hits.length;
      renderList();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(Math.max(0, active));
    } else if (e.key === 'Escape') {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      e.stopPropagation();
    }
    // Keep the map from panning while typing.
    e.stopImmediatePropagation();
  });
  input.addEventListener('blur', () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  });
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    const typing =
      target &&
      (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
    if (e.key === '/' && !typing) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  renderLabels();
  onLocaleChange(() => {
    renderLabels();
    if (!list.hidden) renderList();
  });
}
