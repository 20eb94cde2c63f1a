// The databases page: registered SQL connections (GET /api/sql/connections), registered after a test (POST), tested
// again by reading their schema anew (POST /{id}/refresh), their schema catalogue shown (GET /{id}/schema), removed
// (DELETE /{id}).
import { call, problemText } from '../api.js';
import { handle, values } from '../forms.js';
import { el, emptyRow, load, pageError, row, time } from './operations.js';

export async function init(section) {
  const form = section.querySelector('[data-database-form]');
  handle(form, async () => {
    const data = values(form);
    const response = await call('POST', '/api/sql/connections', {
      name: data.name, description: data.description || undefined, kind: data.kind, host: data.host,
      port: Number(data.port), database: data.database, username: data.username, password: data.password || undefined,
      tlsMode: data.tlsMode,
      allowedTables: data.tables.split(',').map((table) => table.trim()).filter(Boolean).map((table) => ({ table })),
    });
    if (!response.ok) {
      return response;
    }
    form.reset();
    notice(section, `Registered ${data.name}.`);
    await refresh(section);
    return null;
  });
  await refresh(section);
}

function notice(section, text) {
  const line = section.querySelector('[data-page-notice]');
  line.textContent = text;
  line.hidden = !text;
}

async function refresh(section) {
  const data = await load(section, '/api/sql/connections');
  if (!data) {
    return;
  }
  const body = section.querySelector('[data-databases] tbody');
  body.replaceChildren(...data.connections.map((db) => databaseRow(section, db)));
  if (!data.connections.length) {
    body.append(emptyRow(6, 'No database registered yet.'));
  }
}

function databaseRow(section, db) {
  const actions = el('div', { className: 'row-actions' },
    button(`Schema`, `Show the schema of ${db.name}`, () => schema(section, db)),
    button('Test', `Test ${db.name} by reading its schema again`, () => test(section, db)),
    button('Remove', `Remove ${db.name}`, () => remove(section, db)));
  const tables = (db.allowedTables || []).map((table) => table.table).join(', ');
  return row(db.name, db.kind, `${db.host}:${db.port}/${db.database}`, tables, time(db.schemaReadAt), actions);
}

function button(text, label, onClick) {
  const element = el('button', { type: 'button', className: 'secondary', text, 'aria-label': label });
  element.addEventListener('click', onClick);
  return element;
}

async function schema(section, db) {
  const catalog = await load(section, `/api/sql/connections/${db.id}/schema`);
  if (!catalog) {
    return;
  }
  const box = section.querySelector('[data-schema]');
  box.querySelector('[data-schema-title]').textContent = `Schema of ${db.name} (read ${time(catalog.readAt)})`;
  box.querySelector('[data-schema-tables]').replaceChildren(...(catalog.tables || []).map((table) => el('details', {},
    el('summary', { text: table.name }),
    el('div', { className: 'table-box', tabindex: 0, role: 'region', 'aria-label': `Columns of ${table.name}` }, el('table', { className: 'data ops' },
      el('thead', {}, el('tr', {}, ...['Column', 'Type', 'Nullable'].map((name) => el('th', { scope: 'col', text: name })))),
      el('tbody', {}, ...(table.columns || []).map((column) => row(column.name, column.type, column.nullable ? 'yes' : 'no'))))))));
  box.hidden = false;
}

async function test(section, db) {
  const response = await call('POST', `/api/sql/connections/${db.id}/refresh`);
  if (response.ok) {
    pageError(section, '');
    notice(section, `${db.name} answered; its schema was read again.`);
  } else {
    notice(section, '');
    pageError(section, `${db.name}: ${await problemText(response)}`);
  }
  await refresh(section);
}

async function remove(section, db) {
  if (!window.confirm(`Remove the database ${db.name}? Questions and personas can no longer read it.`)) {
    return;
  }
  const response = await call('DELETE', `/api/sql/connections/${db.id}`);
  pageError(section, response.ok ? '' : await problemText(response));
  await refresh(section);
}
