// "Ask your database": the question goes to POST /api/sql/ask as a stream (events sql, rows, done, error; sse.js);
// the page shows the SQL as soon as the guard admits it, then the rows as a table and, when a column is numeric, a
// bar chart of it. Refusals (422 sql-rejected, sql-failed, sql-not-written) are shown with their reason and SQL.
import { call } from '../api.js';
import { handle, hideError, values } from '../forms.js';
import { events } from '../sse.js';
import { el, load, number } from './operations.js';

const REFUSALS = {
  'sql-rejected': 'The guard refused the query, so nothing reached the database',
  'sql-failed': 'The database refused or stopped the query; nothing changed',
  'sql-not-written': 'The model wrote no query for this question',
};

let running = null;

export async function init(section) {
  const [databases, personas] = await Promise.all([load(section, '/api/sql/connections'), load(section, '/api/personas')]);
  const select = section.querySelector('[data-connections]');
  if (databases) {
    select.replaceChildren(...databases.connections.map((db) => el('option', { value: db.id, text: db.name })));
    if (!databases.connections.length) {
      select.append(el('option', { value: '', text: 'No database registered yet' }));
    }
  }
  if (personas) {
    section.querySelector('[data-agents]').append(...personas.personas
      .map((persona) => el('option', { value: persona.slug, text: `${persona.name} (${persona.chain || 'default chain'})` })));
  }
  const form = section.querySelector('[data-ask-form]');
  const stop = section.querySelector('[data-ask-stop]');
  stop.addEventListener('click', () => running?.abort());
  handle(form, (f) => ask(section, f));
}

async function ask(section, form) {
  const { connectionId, question, agent } = values(form);
  const result = section.querySelector('[data-ask-result]');
  const status = section.querySelector('[data-ask-status]');
  clear(section);
  hideError(form);
  result.hidden = false;
  status.textContent = 'Writing the query…';
  running = new AbortController();
  const stop = section.querySelector('[data-ask-stop]');
  stop.hidden = false;
  try {
    const response = await call('POST', '/api/sql/ask', { connectionId, question, agent: agent || undefined },
      { accept: 'text/event-stream', signal: running.signal });
    if (!response.ok) {
      return await refused(section, response);
    }
    for await (const { event, data } of events(response)) {
      const payload = JSON.parse(data);
      if (event === 'sql') {
        showSql(section, payload.sql, payload.explanation);
        status.textContent = payload.attempt > 1 ? `Corrected query (attempt ${payload.attempt}), running…` : 'Running…';
      } else if (event === 'rows') {
        await showRows(section, payload);
      } else if (event === 'done') {
        status.textContent = `Written by ${payload.target}${payload.failover ? ' (failover)' : ''}`
          + (payload.corrections ? `, after ${payload.corrections} correction(s).` : '.');
      } else if (event === 'error') {
        showRefusal(section, payload);
      }
    }
    return null;
  } catch (error) {
    if (error.name === 'AbortError') {
      status.textContent = 'Stopped.';
      return null;
    }
    throw error;
  } finally {
    stop.hidden = true;
    running = null;
  }
}

function clear(section) {
  section.querySelector('[data-ask-sql]').textContent = '';
  section.querySelector('[data-ask-explanation]').textContent = '';
  section.querySelector('[data-ask-refusal]').hidden = true;
  section.querySelector('[data-ask-rows]').hidden = true;
  section.querySelector('[data-ask-chart-box]').hidden = true;
}

function showSql(section, sql, explanation) {
  section.querySelector('[data-ask-sql]').textContent = sql || '';
  section.querySelector('[data-ask-explanation]').textContent = explanation || '';
}

async function refused(section, response) {
  if (response.status !== 422) {
    section.querySelector('[data-ask-result]').hidden = true;
    return response;
  }
  showRefusal(section, await response.json());
  return null;
}

function showRefusal(section, problem) {
  const kind = String(problem.type ?? '').split(/[/:#]/).pop();
  section.querySelector('[data-ask-status]').textContent = 'Refused.';
  if (problem.sql) {
    showSql(section, problem.sql, '');
  }
  const box = section.querySelector('[data-ask-refusal]');
  box.replaceChildren(el('p', { text: `${REFUSALS[kind] ?? (problem.title || 'The question was refused')}.` }),
    el('p', {}, el('strong', { text: 'Reason: ' }), el('span', { 'data-ask-reason': true, text: problem.reason || problem.detail || '' })));
  box.dataset.kind = kind;
  box.hidden = false;
}

async function showRows(section, { columns, rows, rowCount, truncated }) {
  section.querySelector('[data-ask-rows]').hidden = false;
  section.querySelector('[data-ask-count]').textContent = `${number(rowCount)} row${rowCount === 1 ? '' : 's'}`
    + (truncated ? ' (more exist: the row limit cut the result)' : '');
  const table = section.querySelector('[data-ask-table]');
  const numeric = columns.map((column, index) => rows.length > 0
    && rows.every((cells) => cells[index] === null || typeof cells[index] === 'number'));
  table.tHead.replaceChildren(el('tr', {}, ...columns.map((column, index) => el('th',
    { scope: 'col', className: numeric[index] ? 'number' : undefined, text: column.name }))));
  table.tBodies[0].replaceChildren(...rows.map((cells) => el('tr', {}, ...cells.map((cell, index) => el('td',
    { className: numeric[index] ? 'number' : undefined, text: cell === null ? '—' : String(cell) })))));
  const valueIndex = numeric.findIndex((isNumber, index) => isNumber && !(index === 0 && columns.length > 1 && /(^|_)id$/i.test(columns[0].name)));
  if (valueIndex < 0) {
    return;
  }
  const labelIndex = numeric.findIndex((isNumber) => !isNumber);
  const labels = rows.map((cells, index) => (labelIndex >= 0 ? String(cells[labelIndex]) : String(index + 1)));
  section.querySelector('[data-ask-chart-box]').hidden = false;
  const { chart } = await import('../chart.js');
  await chart(section.querySelector('[data-ask-chart]'), {
    x: rows.map((cells, index) => index), time: false, labels, bars: true,
    series: [{ label: columns[valueIndex].name, values: rows.map((cells) => cells[valueIndex]) }],
  });
}
