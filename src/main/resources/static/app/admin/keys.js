// API keys in the admin console: create one (its secret shown this once, with a Copy button), list the tenant's keys
// (GET /api/keys?all=true), revoke one after a confirmation, and chart a key's requests per day (GET /api/keys/{id}/usage).
import { call } from '../api.js';
import { button, cell, element, onSubmit, showAlert, showNotice, showRefusal, time } from './console.js';

class KeysPage {
  constructor(section) {
    this.section = section;
    this.rows = section.querySelector('[data-rows]');
    this.notice = section.querySelector('[data-notice]');
    this.alert = section.querySelector('[data-list-error]');
    this.created = section.querySelector('[data-created]');
    this.usage = section.querySelector('[data-usage]');
    this.owners = new Map();
  }

  async init() {
    const form = this.section.querySelector('[data-key-form]');
    onSubmit(form, () => this.create(form));
    this.section.querySelector('[data-copy]').addEventListener('click', () => this.copy());
    this.section.querySelector('[data-dismiss]').addEventListener('click', () => this.forgetSecret());
    const me = await call('GET', '/api/auth/me');
    if (me.ok) {
      this.me = (await me.json()).id;
    }
    await this.load();
  }

  async load() {
    const response = await call('GET', '/api/keys?all=true');
    if (!response.ok) {
      await showRefusal(this.alert, response);
      return;
    }
    const keys = await response.json();
    await this.lookUpOwners(keys);
    this.rows.replaceChildren(...keys.map((key) => this.row(key)));
    this.section.querySelector('[data-empty]').hidden = keys.length > 0;
  }

  /** The e-mail address of each key's owner (one request per owner, not per key). */
  async lookUpOwners(keys) {
    const unknown = [...new Set(keys.map((key) => key.userId))].filter((id) => id !== this.me && !this.owners.has(id));
    await Promise.all(unknown.map(async (id) => {
      const response = await call('GET', `/api/users/${id}`);
      this.owners.set(id, response.ok ? (await response.json()).email : id);
    }));
  }

  row(key) {
    const tr = element('tr');
    tr.dataset.key = key.id;
    const expired = key.expiresAt && new Date(key.expiresAt) <= new Date();
    const status = key.revokedAt ? 'revoked' : expired ? 'expired' : 'active';
    const actions = element('div', 'row-actions');
    const usage = button('Usage');
    usage.setAttribute('aria-label', `Usage of ${key.name}`);
    usage.addEventListener('click', () => this.showUsage(key));
    actions.append(usage);
    if (!key.revokedAt) {
      const revoke = button('Revoke', 'secondary danger');
      revoke.setAttribute('aria-label', `Revoke ${key.name}`);
      revoke.addEventListener('click', () => this.revoke(key));
      actions.append(revoke);
    }
    tr.append(cell(key.name), cell(element('code', null, `${key.prefix}…`)),
      cell(key.userId === this.me ? 'you' : this.owners.get(key.userId) ?? key.userId), cell(key.scopes.join(', ')),
      cell(key.expiresAt ? time(key.expiresAt, false) : 'never'), cell(status), cell(actions));
    return tr;
  }

  async create(form) {
    const scopes = [...form.querySelectorAll('input[name="scope"]')].filter((box) => box.checked).map((box) => box.value);
    const expiresOn = form.elements.expiresOn.value;
    const body = { name: form.elements.name.value.trim(), scopes,
      expiresAt: expiresOn ? new Date(`${expiresOn}T23:59:59`).toISOString() : null };
    const response = await call('POST', '/api/keys', body);
    if (!response.ok) {
      return response;
    }
    const key = await response.json();
    form.reset();
    this.created.querySelector('[data-secret]').textContent = key.key;
    this.created.querySelector('[data-copied]').textContent = '';
    this.created.hidden = false;
    this.created.focus();
    await this.load();
    return null;
  }

  async copy() {
    const secret = this.created.querySelector('[data-secret]').textContent;
    const status = this.created.querySelector('[data-copied]');
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = 'Copied to the clipboard.';
    } catch (ignored) {
      // No clipboard permission (or an insecure context): select the key for the user to copy by hand.
      window.getSelection().selectAllChildren(this.created.querySelector('[data-secret]'));
      status.textContent = 'The browser refused the clipboard: the key is selected, press Ctrl+C (⌘C) to copy it.';
    }
  }

  /** Removes the secret from the page: it is never shown again. */
  forgetSecret() {
    this.created.querySelector('[data-secret]').textContent = '';
    this.created.hidden = true;
    this.section.querySelector('#key-name').focus();
  }

  async revoke(key) {
    if (!window.confirm(`Revoke the key “${key.name}” (${key.prefix}…)? Programs using it are refused from their next request.`)) {
      return;
    }
    this.alert.hidden = true;
    const response = await call('DELETE', `/api/keys/${key.id}`);
    if (!response.ok) {
      await showRefusal(this.alert, response);
      return;
    }
    showNotice(this.notice, `The key “${key.name}” is revoked.`);
    await this.load();
  }

  async showUsage(key) {
    const response = await call('GET', `/api/keys/${key.id}/usage`);
    if (!response.ok) {
      await showRefusal(this.alert, response);
      return;
    }
    const report = await response.json();
    this.usage.hidden = false;
    this.usage.querySelector('[data-usage-title]').textContent = `Usage of “${key.name}”`;
    const days = lastDays(report.from, report.to);
    const byDay = new Map(report.rows.map((row) => [row.group, row]));
    this.usage.querySelector('[data-usage-rows]').replaceChildren(...report.rows.map((row) => {
      const tr = element('tr');
      tr.append(cell(row.group), cell(String(row.requests), 'number'), cell(String(row.errors), 'number'),
        cell(String(row.tokensIn), 'number'), cell(String(row.tokensOut), 'number'));
      return tr;
    }));
    this.usage.querySelector('[data-usage-empty]').hidden = report.rows.length > 0;
    const container = this.usage.querySelector('[data-chart]');
    try {
      const { chart } = await import('../chart.js');
      await chart(container, {
        x: days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000),
        series: [
          { label: 'Requests', values: days.map((day) => byDay.get(day)?.requests ?? 0) },
          { label: 'Errors', values: days.map((day) => byDay.get(day)?.errors ?? 0) },
        ],
        bars: false,
      });
    } catch (error) {
      showAlert(this.alert, 'The chart could not be drawn; the table below has the same numbers.');
    }
    this.usage.scrollIntoView({ block: 'nearest' });
  }
}

/** Every UTC day (YYYY-MM-DD) from {@code from} to {@code to}, so that days without requests chart as zero. */
function lastDays(from, to) {
  const days = [];
  const end = new Date(to);
  for (let day = new Date(from.slice(0, 10) + 'T00:00:00Z'); day <= end; day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

export async function init(section) {
  await new KeysPage(section).init();
  section.setAttribute('aria-busy', 'false');
}
