/**
 * Building DOM without innerHTML: text always goes in as text, so a name holding markup is
 * shown, never run.
 */
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
  return el;
}

/** 1234 → "1,234"; 0.5 → "0.5"; null → "—". */
export function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return n.toLocaleString('zh-CN', { maximumFractionDigits: digits });
}

export function distance(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

/**
 * Draws a printable page (combat map, drill report): `body[data-ready=true]` once drawn or
 * failed, `body[data-error]` with the reason when it failed, for the server's PDF printer.
 */
export function printablePage(draw: () => Promise<void>): void {
  draw()
    .catch((err) => {
      document.body.dataset.error = String(err instanceof Error ? err.message : err);
      console.error(err);
    })
    .finally(() => {
      document.body.dataset.ready = 'true';
    });
}

/** An input listener handing on the field's value as typed (for lit-html's `@input`). */
export const onValue =
  (fn: (value: string) => void) =>
  (e: Event): void =>
    fn((e.target as HTMLInputElement).value);
