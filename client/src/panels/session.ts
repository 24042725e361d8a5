/**
 * Sign-in on the command page: a session cookie (httpOnly, set by the server). The map and
 * cards work for anyone; dispatching and other commands need a commander signed in.
 */
import type { LoginAnswer, Me } from '../../../server/contract/auth.ts';
import type { Actor } from '../../../server/domain/access.ts';
import { get, post } from '../api/http.ts';
import { onLocaleChange, t } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';

export class Session {
  user: Actor | null = null;
  private readonly listeners = new Set<() => void>();

  async load(): Promise<void> {
    const res = await get<Me>('/api/auth/me');
    this.user = res.ok ? res.value.user : null;
    this.emit();
  }

  async signIn(username: string, password: string): Promise<string | null> {
    const res = await post<LoginAnswer>('/api/auth/login', { username, password });
    if (!res.ok) return res.message;
    this.user = res.value.user;
    this.emit();
    return null;
  }

  async signOut(): Promise<void> {
    await post('/api/auth/logout');
    this.user = null;
    this.emit();
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }
}

export function mountSession(session: Session, button: HTMLButtonElement): void {
  const dialog = h('dialog', { id: 'signin-dialog', class: 'signin' });
  const user = h('input', { id: 'signin-username', autocomplete: 'username', required: '' });
  const pass = h('input', {
    id: 'signin-password',
    type: 'password',
    autocomplete: 'current-password',
    required: '',
  });
  const error = h('p', { class: 'error small', role: 'alert' });
  const submit = h('button', { type: 'submit', id: 'signin-submit' });
  const cancel = h('button', { type: 'button', class: 'secondary' });
  const title = h('h2', {});
  const uLabel = h('span', {});
  const pLabel = h('span', {});
  const form = h(
    'form',
    { method: 'dialog' },
    title,
    h('label', {}, uLabel, user),
    h('label', {}, pLabel, pass),
    error,
    h('div', { class: 'row' }, submit, cancel),
  );
  dialog.append(form);
  document.body.append(dialog);

  const render = () => {
    button.textContent = session.user
      ? `${session.user.displayName} · ${t('auth.signOut')}`
      : t('auth.signIn');
    title.textContent = t('auth.signIn');
    uLabel.textContent = t('auth.username');
    pLabel.textContent = t('auth.password');
    submit.textContent = t('auth.signIn');
    cancel.textContent = t('card.close');
  };
  button.addEventListener('click', () => {
    if (session.user) void session.signOut();
    else {
      error.textContent = '';
      dialog.showModal();
      user.focus();
    }
  });
  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const message = await session.signIn(user.value.trim(), pass.value);
    if (message) error.textContent = message;
    else {
      pass.value = '';
      dialog.close();
    }
  });
  session.onChange(render);
  onLocaleChange(render);
  render();
}
