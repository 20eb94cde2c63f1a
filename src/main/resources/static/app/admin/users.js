// Users and roles in the admin console: a page of users at a time (GET /api/users?limit&cursor&q, the next page's URL
// in the Link header), add a user, make admin or member, disable or enable, delete; each change after a confirmation.
import { call } from '../api.js';
import { button, cell, element, onSubmit, showNotice, showRefusal, time } from './console.js';

const PAGE = 50;

/** The URL of the Link header's rel="next", if any. */
function nextLink(response) {
  const match = /<([^>]+)>\s*;\s*rel="next"/.exec(response.headers.get('Link') || '');
  return match ? match[1] : null;
}

class UsersPage {
  constructor(section) {
    this.section = section;
    this.rows = section.querySelector('[data-rows]');
    this.more = section.querySelector('[data-more]');
    this.notice = section.querySelector('[data-notice]');
    this.alert = section.querySelector('[data-list-error]');
    this.next = null;
    this.query = '';
  }

  init() {
    const form = this.section.querySelector('[data-user-form]');
    onSubmit(form, () => this.create(form));
    this.section.querySelector('[data-search]').addEventListener('submit', (event) => {
      event.preventDefault();
      this.query = event.target.elements.q.value.trim();
      this.load(true);
    });
    this.more.addEventListener('click', () => this.load(false));
    return this.load(true);
  }

  async load(fresh) {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (this.query) {
      params.set('q', this.query);
    }
    const response = await call('GET', fresh ? `/api/users?${params}` : this.next);
    if (!response.ok) {
      await showRefusal(this.alert, response);
      return;
    }
    const users = await response.json();
    this.next = nextLink(response);
    const rows = users.map((user) => this.row(user));
    if (fresh) {
      this.rows.replaceChildren(...rows);
    } else {
      this.rows.append(...rows);
    }
    this.section.querySelector('[data-empty]').hidden = this.rows.children.length > 0;
    this.more.hidden = !this.next;
  }

  row(user) {
    const tr = element('tr');
    tr.dataset.user = user.email;
    const role = button(user.role === 'ADMIN' ? 'Make member' : 'Make admin');
    role.addEventListener('click', () => this.change(user, { role: user.role === 'ADMIN' ? 'MEMBER' : 'ADMIN' },
      `Make ${user.email} ${user.role === 'ADMIN' ? 'a member' : 'an admin'}?`
        + (user.role === 'ADMIN' ? ' They lose the admin console at once.' : ' They can then manage the whole tenant.')));
    const disable = button(user.disabled ? 'Enable' : 'Disable');
    disable.addEventListener('click', () => this.change(user, { disabled: !user.disabled }, user.disabled
      ? `Enable ${user.email}? They can sign in again.`
      : `Disable ${user.email}? Their sessions end at once and they cannot sign in; their API keys stop working.`));
    const remove = button('Delete', 'secondary danger');
    remove.addEventListener('click', () => this.remove(user));
    const actions = element('div', 'row-actions');
    actions.append(role, disable, remove);
    tr.append(cell(user.email), cell(user.role === 'ADMIN' ? 'Admin' : 'Member'), cell(user.tier || 'default'),
      cell(user.disabled ? 'disabled' : 'active'), cell(time(user.createdAt, false)), cell(actions));
    return tr;
  }

  async create(form) {
    const body = { email: form.elements.email.value.trim(), password: form.elements.password.value,
      role: form.elements.role.value };
    const response = await call('POST', '/api/users', body);
    if (!response.ok) {
      return response;
    }
    const user = await response.json();
    form.reset();
    showNotice(this.notice, `${user.email} added as ${user.role === 'ADMIN' ? 'an admin' : 'a member'}.`);
    this.rows.prepend(this.row(user));
    this.section.querySelector('[data-empty]').hidden = true;
    return null;
  }

  async change(user, patch, question) {
    if (!window.confirm(question)) {
      return;
    }
    this.alert.hidden = true;
    const response = await call('PATCH', `/api/users/${user.id}`, patch);
    if (!response.ok) {
      await showRefusal(this.alert, response);
      return;
    }
    const updated = await response.json();
    this.rowOf(user).replaceWith(this.row(updated));
    showNotice(this.notice, `${updated.email} is now ${updated.role === 'ADMIN' ? 'an admin' : 'a member'}`
      + `${updated.disabled ? ', disabled' : ''}.`);
  }

  async remove(user) {
    if (!window.confirm(`Delete ${user.email}? Their account is gone for good; this cannot be undone.`)) {
      return;
    }
    this.alert.hidden = true;
    const response = await call('DELETE', `/api/users/${user.id}`);
    if (!response.ok) {
      await showRefusal(this.alert, response);
      return;
    }
    this.rowOf(user).remove();
    showNotice(this.notice, `${user.email} deleted.`);
  }

  rowOf(user) {
    return [...this.rows.children].find((tr) => tr.dataset.user === user.email);
  }
}

export async function init(section) {
  await new UsersPage(section).init();
  section.setAttribute('aria-busy', 'false');
}
