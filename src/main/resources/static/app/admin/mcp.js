// The MCP servers page: registered servers (GET /api/mcp/servers), their tools (GET /{id}/tools) with the allowed ones
// chosen and saved (PUT /{id}), refreshed (PUT /{id} with the same settings: tested and listed again), registered
// (POST) and removed (DELETE /{id}).
import { call, problemText } from '../api.js';
import { handle, values } from '../forms.js';
import { el, emptyRow, load, pageError, row, time } from './operations.js';

let shown = null;

export async function init(section) {
  const form = section.querySelector('[data-server-form]');
  handle(form, async () => {
    const data = values(form);
    const response = await call('POST', '/api/mcp/servers', { name: data.name, url: data.url, transport: data.transport,
      authHeaderName: data.authHeaderName || undefined, authHeaderValue: data.authHeaderValue || undefined, allowedTools: [] });
    if (!response.ok) {
      return response;
    }
    const server = await response.json();
    form.reset();
    notice(section, `Registered ${server.name}: ${server.toolsListed} tools listed. Allow the ones personas may use.`);
    await refresh(section);
    await tools(section, server);
    return null;
  });
  const toolsForm = section.querySelector('[data-tools]');
  handle(toolsForm, async () => {
    const allowed = [...toolsForm.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);
    const response = await save(shown, allowed);
    if (!response.ok) {
      return response;
    }
    shown = await response.json();
    notice(section, `Saved: ${allowed.length} tools of ${shown.name} allowed.`);
    await refresh(section);
    await tools(section, shown);
    return null;
  });
  await refresh(section);
}

function notice(section, text) {
  const line = section.querySelector('[data-page-notice]');
  line.textContent = text;
  line.hidden = !text;
}

/** The server's settings sent back unchanged (the credential is kept when its value is omitted). */
function save(server, allowedTools) {
  return call('PUT', `/api/mcp/servers/${server.id}`, { name: server.name, url: server.url, transport: server.transport,
    authHeaderName: server.authHeaderName || undefined, allowedTools, timeout: server.timeout });
}

async function refresh(section) {
  const data = await load(section, '/api/mcp/servers');
  if (!data) {
    return;
  }
  const body = section.querySelector('[data-servers] tbody');
  body.replaceChildren(...data.servers.map((server) => row(server.name, server.url,
    `${server.allowedTools.length} allowed of ${server.toolsListed}`, time(server.toolsRefreshedAt),
    el('div', { className: 'row-actions' },
      button('Tools', `Show the tools of ${server.name}`, () => tools(section, server)),
      button('Refresh', `List the tools of ${server.name} again`, () => refreshServer(section, server)),
      button('Remove', `Remove ${server.name}`, () => remove(section, server))))));
  if (!data.servers.length) {
    body.append(emptyRow(5, 'No MCP server registered yet.'));
  }
}

function button(text, label, onClick) {
  const element = el('button', { type: 'button', className: 'secondary', text, 'aria-label': label });
  element.addEventListener('click', onClick);
  return element;
}

async function tools(section, server) {
  const data = await load(section, `/api/mcp/servers/${server.id}/tools`);
  if (!data) {
    return;
  }
  shown = server;
  const form = section.querySelector('[data-tools]');
  form.querySelector('[data-tools-title]').textContent = `Tools of ${server.name}`;
  form.querySelector('tbody').replaceChildren(...data.tools.map((tool) => {
    const box = el('input', { type: 'checkbox', value: tool.toolName, checked: tool.allowed, 'aria-label': `Allow ${tool.toolName}` });
    const state = tool.changedSinceApproved ? 'changed since allowed: save to approve'
      : tool.offered ? `offered as ${tool.modelName}` : tool.allowed ? 'allowed, not offerable' : 'not allowed';
    return row(box, el('code', { text: tool.toolName }), tool.description || '', state);
  }));
  if (!data.tools.length) {
    form.querySelector('tbody').append(emptyRow(4, 'The server lists no tools.'));
  }
  form.hidden = false;
}

async function refreshServer(section, server) {
  const response = await save(server, server.allowedTools);
  if (response.ok) {
    const saved = await response.json();
    pageError(section, '');
    notice(section, `${saved.name} answered: ${saved.toolsListed} tools listed.`);
  } else {
    notice(section, '');
    pageError(section, `${server.name}: ${await problemText(response)}`);
  }
  await refresh(section);
}

async function remove(section, server) {
  if (!window.confirm(`Remove the MCP server ${server.name}? Its tools are no longer offered.`)) {
    return;
  }
  const response = await call('DELETE', `/api/mcp/servers/${server.id}`);
  pageError(section, response.ok ? '' : await problemText(response));
  section.querySelector('[data-tools]').hidden = true;
  await refresh(section);
}

