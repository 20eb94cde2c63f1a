// The usage page: GET /api/usage grouped by day, user, key and persona over a date range, each charted (chart.js)
// with its table; users, keys and personas named from their own lists (the report carries ids).
import { call } from '../api.js';
import { handle, values } from '../forms.js';
import { el, number, pageError } from './operations.js';

const DAY = 86_400_000;
const GROUPS = ['day', 'user', 'key', 'persona'];

export async function init(section) {
  const form = section.querySelector('[data-usage-range]');
  const today = new Date();
  form.elements.to.value = isoDay(today);
  form.elements.from.value = isoDay(new Date(today.getTime() - 29 * DAY));
  handle(form, () => show(section, form));
  form.elements.measure.addEventListener('change', () => show(section, form));
  await show(section, form);
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

async function show(section, form) {
  const { from, to, measure } = values(form);
  const params = `from=${new Date(`${from}T00:00:00Z`).toISOString()}&to=${new Date(Date.parse(`${to}T00:00:00Z`) + DAY).toISOString()}`;
  const responses = await Promise.all(GROUPS.map((group) => call('GET', `/api/usage?groupBy=${group}&${params}`)));
  const refused = responses.find((response) => !response.ok);
  if (refused) {
    return refused;
  }
  pageError(section, '');
  const reports = await Promise.all(responses.map((response) => response.json()));
  const names = await labels();
  const { chart } = await import('../chart.js');
  await Promise.all(reports.map((report, index) => draw(section, GROUPS[index], report, measure, names, chart)));
  return null;
}

function value(row, measure) {
  return measure === 'tokens' ? row.tokensIn + row.tokensOut : measure === 'errors' ? row.errors : row.requests;
}

async function draw(section, group, report, measure, names, chart) {
  const box = section.querySelector(`[data-usage-group="${group}"]`);
  const container = box.querySelector('[data-usage-chart]');
  box.querySelector('[data-usage-table]').replaceChildren(table(group, report.rows, names));
  if (!report.rows.length) {
    container.replaceChildren(el('p', { className: 'empty', text: 'Nothing in this range.' }));
    container.dataset.rows = '0';
    return;
  }
  container.dataset.rows = String(report.rows.length);
  if (group === 'day') {
    const days = everyDay(report);
    const byDay = new Map(report.rows.map((row) => [row.group, value(row, measure)]));
    const values = days.map((day) => byDay.get(day) ?? 0);
    const times = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    await chart(container, { x: times, bars: true, slot: DAY / 1000, series: [{ label: measure, values }] });
    return;
  }
  const values = report.rows.map((row) => value(row, measure));
  await chart(container, { x: report.rows.map((row, index) => index), time: false, bars: true,
    series: [{ label: measure, values }], labels: report.rows.map((row) => short(name(group, row.group, names))) });
}

/** Every day of the report's range (UTC), so that days without usage show as zero rather than being skipped. */
function everyDay(report) {
  const days = [];
  for (let at = Date.parse(report.from.slice(0, 10)); at < Date.parse(report.to); at += DAY) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

function short(label) {
  return label.length > 18 ? `${label.slice(0, 17)}…` : label;
}

function name(group, id, names) {
  if (group === 'day') {
    return id;
  }
  if (id === null) {
    return group === 'key' ? 'browser and token sessions' : 'unknown';
  }
  return names[group].get(id) ?? `${id.slice(0, 8)}…`;
}

function table(group, rows, names) {
  const head = el('tr', {}, ...[group === 'persona' ? 'Persona' : group[0].toUpperCase() + group.slice(1),
    group === 'persona' ? 'Turns' : 'Requests', 'Tokens in', 'Tokens out', 'Errors']
    .map((title, index) => el('th', { scope: 'col', className: index ? 'number' : undefined, text: title })));
  return el('table', { className: 'data ops' }, el('thead', {}, head), el('tbody', {}, ...rows.map((row) => el('tr', {},
    el('td', { text: name(group, row.group, names) }),
    ...[row.requests, row.tokensIn, row.tokensOut, row.errors].map((count) => el('td', { className: 'number', text: number(count) }))))));
}

/** Names for the ids in the report: users' e-mail addresses, keys' names, personas' names. */
async function labels() {
  const [users, keys, personas] = await Promise.all(['/api/users', '/api/keys?all=true', '/api/personas']
    .map(async (path) => {
      const response = await call('GET', path);
      return response.ok ? response.json() : [];
    }));
  const list = (data, field) => (Array.isArray(data) ? data : (data[field] ?? []));
  return {
    user: new Map(list(users, 'users').map((user) => [user.id, user.email])),
    key: new Map(list(keys, 'keys').map((key) => [key.id, key.name || key.prefix || key.id])),
    persona: new Map(list(personas, 'personas').map((persona) => [persona.id, persona.name])),
  };
}
