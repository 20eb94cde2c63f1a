// The audit log page: GET /api/audit a page (50) at a time, newest first, filtered by action, user (e-mail) and time
// range on the server; "Older entries" follows nextBefore with the same filters.
import { call } from '../api.js';
import { handle, hideError, values } from '../forms.js';
import { el, emptyRow, row, time } from './operations.js';

const PAGE = 50;
let query = new URLSearchParams();
let next = null;
let shown = 0;
const actions = new Set();

export async function init(section) {
  const form = section.querySelector('[data-audit-filters]');
  handle(form, () => filter(section, form));
  form.addEventListener('reset', () => setTimeout(() => filter(section, form)));
  section.querySelector('[data-audit-more]').addEventListener('click', () => page(section, false));
  await page(section, true);
}

function filter(section, form) {
  const { action, actor, from, to } = values(form);
  query = new URLSearchParams();
  if (action) {
    query.set('action', action.trim());
  }
  if (actor) {
    query.set('actor', actor.trim());
  }
  // datetime-local is the browser's local time: sent as an instant
  if (from) {
    query.set('from', new Date(from).toISOString());
  }
  if (to) {
    query.set('to', new Date(to).toISOString());
  }
  return page(section, true);
}

async function page(section, first) {
  const params = new URLSearchParams(query);
  params.set('limit', String(PAGE));
  if (!first && next !== null) {
    params.set('before', String(next));
  }
  const response = await call('GET', `/api/audit?${params}`);
  if (!response.ok) {
    return response;
  }
  hideError(section.querySelector('[data-audit-filters]'));
  const data = await response.json();
  const body = section.querySelector('[data-audit] tbody');
  if (first) {
    body.replaceChildren();
    shown = 0;
  }
  body.append(...data.entries.map(entryRow));
  shown += data.entries.length;
  if (!shown) {
    body.append(emptyRow(5, query.toString() ? 'No entry matches these filters.' : 'No entry yet.'));
  }
  next = data.nextBefore ?? null;
  section.querySelector('[data-audit-more]').hidden = next === null;
  section.querySelector('[data-audit-summary]').textContent = `${shown} entr${shown === 1 ? 'y' : 'ies'} shown`
    + (next === null ? '.' : '; older entries follow.');
  data.entries.forEach((entry) => actions.add(entry.action));
  section.querySelector('[data-actions]').replaceChildren(...[...actions].sort().map((action) => el('option', { value: action })));
  return null;
}

function entryRow(entry) {
  const details = Object.entries(entry.details || {}).map(([key, value]) =>
    `${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`).join('; ');
  return row(time(entry.occurredAt), el('code', { text: entry.action }), entry.actorEmail || '—', entry.address || '—',
    el('span', { className: 'audit-details', text: details }));
}
