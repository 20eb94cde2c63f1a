// The providers page: health and breaker state (GET /api/providers/health), each provider's recent latency
// (GET /api/providers/{id}/calls, charted), a chain test (POST /api/providers/test) and runtime providers added,
// changed and removed (POST, PUT, DELETE /api/providers).
import { call, problemText } from '../api.js';
import { handle, values } from '../forms.js';
import { el, emptyRow, load, pageError, row, time } from './operations.js';

const BREAKER = { closed: 'closed', open: 'open: calls are skipped', half_open: 'half open: trying again', unused: 'not called yet' };

let editing = null;

export async function init(section) {
  const select = section.querySelector('[data-latency-provider]');
  select.addEventListener('change', () => showLatency(section, select.value));
  initTest(section);
  initForm(section);
  await refresh(section);
}

async function refresh(section) {
  const [list, health] = await Promise.all([load(section, '/api/providers'), load(section, '/api/providers/health')]);
  if (!list || !health) {
    return;
  }
  section.querySelector('[data-default-chain]').textContent = list.defaultChain;
  const views = new Map(list.providers.map((provider) => [provider.id, provider]));
  const body = section.querySelector('[data-health] tbody');
  body.replaceChildren(...health.providers.map((provider) => healthRow(section, provider, views.get(provider.id))));
  if (!health.providers.length) {
    body.append(emptyRow(7, 'No providers yet.'));
  }
  const select = section.querySelector('[data-latency-provider]');
  const chosen = select.value;
  select.replaceChildren(...health.providers.map((provider) => el('option', { value: provider.id, text: provider.id })));
  if (chosen && views.has(chosen)) {
    select.value = chosen;
  }
  if (select.value) {
    await showLatency(section, select.value);
  }
}

function healthRow(section, provider, view) {
  const state = el('span', { className: `badge breaker-${provider.state}`, text: BREAKER[provider.state] ?? provider.state,
    'data-breaker': provider.state });
  const targets = Object.entries(provider.targets || {}).map(([model, breaker]) => `${model} (${breaker})`).join(', ');
  const models = view && view.models && view.models.length ? view.models.map((model) => model.name).join(', ') : 'any';
  const actions = el('div', { className: 'row-actions' });
  if (provider.source === 'runtime') {
    actions.append(
      el('button', { type: 'button', className: 'secondary', text: 'Edit', 'aria-label': `Edit ${provider.id}` }),
      el('button', { type: 'button', className: 'secondary', text: 'Remove', 'aria-label': `Remove ${provider.id}` }));
    actions.children[0].addEventListener('click', () => edit(section, view));
    actions.children[1].addEventListener('click', () => remove(section, provider.id));
  } else {
    actions.append(el('span', { className: 'hint', text: 'configured' }));
  }
  return row(el('span', { className: 'provider-id', text: provider.id }), provider.kind, state,
    targets || models, provider.lastErrorKind ? `${provider.lastErrorKind}, ${time(provider.lastErrorAt)}` : '—',
    time(provider.lastSuccessAt), actions);
}

async function showLatency(section, id) {
  const data = await load(section, `/api/providers/${encodeURIComponent(id)}/calls`);
  if (!data) {
    return;
  }
  const container = section.querySelector('[data-latency-chart]');
  const summary = section.querySelector('[data-latency-summary]');
  if (!data.calls.length) {
    container.replaceChildren();
    summary.textContent = `No calls of ${id} on this server yet. Test it below.`;
    return;
  }
  const millis = data.calls.map((one) => one.millis);
  const sorted = [...millis].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const failed = data.calls.filter((one) => one.outcome !== 'answered').length;
  const count = data.calls.length;
  summary.textContent = `${count} recent call${count === 1 ? '' : 's'}: median ${median} ms, slowest ${sorted[sorted.length - 1]} ms, `
    + `${failed} failed.`;
  const { chart } = await import('../chart.js');
  const times = data.calls.map((one) => Date.parse(one.at) / 1000);
  await chart(container, { x: times, series: [{ label: 'ms', values: millis }] });
}

function initTest(section) {
  const form = section.querySelector('[data-test-form]');
  handle(form, async () => {
    const { prompt, chain } = values(form);
    const output = form.querySelector('[data-test-result]');
    output.replaceChildren(el('p', { className: 'hint', text: 'Testing…' }));
    const response = await call('POST', '/api/providers/test', { prompt, chain: chain || undefined });
    if (!response.ok) {
      output.replaceChildren();
      return response;
    }
    const result = await response.json();
    const attempts = result.attempts.map((attempt) => `${attempt.target}: ${attempt.outcome} (${attempt.latencyMs} ms)`).join('; ');
    output.replaceChildren(el('div', { className: 'test-result', 'data-test-answer': true },
      el('p', {}, el('strong', { text: 'Answered by ' }), el('code', { text: result.target }),
        result.failover ? el('span', { className: 'badge', text: 'failover' }) : null),
      el('p', { className: 'test-content', text: result.content }),
      el('p', { className: 'hint', text: `Attempts: ${attempts}. Tokens: ${result.usage.inputTokens} in, `
        + `${result.usage.outputTokens} out.` })));
    await refresh(section);
    return null;
  });
}

function initForm(section) {
  const form = section.querySelector('[data-provider-form]');
  form.querySelector('[data-provider-cancel]').addEventListener('click', () => reset(form));
  handle(form, async () => {
    const data = values(form);
    const body = { id: data.id, kind: data.kind, baseUrl: data.baseUrl || undefined,
      apiKey: data.apiKey || undefined,
      models: data.models ? data.models.split(',').map((name) => name.trim()).filter(Boolean).map((name) => ({ name })) : [] };
    const response = editing
      ? await call('PUT', `/api/providers/${encodeURIComponent(editing)}`, body)
      : await call('POST', '/api/providers', body);
    if (!response.ok) {
      return response;
    }
    reset(form);
    await refresh(section);
    return null;
  });
}

function edit(section, view) {
  const form = section.querySelector('[data-provider-form]');
  editing = view.id;
  form.elements.id.value = view.id;
  form.elements.id.disabled = true;
  form.elements.kind.value = view.kind;
  form.elements.baseUrl.value = view.baseUrl || '';
  form.elements.apiKey.value = '';
  form.elements.models.value = (view.models || []).map((model) => model.name).join(', ');
  form.querySelector('[data-provider-form-title]').textContent = `Edit ${view.id}`;
  form.querySelector('[data-provider-cancel]').hidden = false;
  form.elements.kind.focus();
}

function reset(form) {
  editing = null;
  form.reset();
  form.elements.id.disabled = false;
  form.querySelector('[data-provider-form-title]').textContent = 'Add a provider';
  form.querySelector('[data-provider-cancel]').hidden = true;
  form.querySelector('[data-error]').hidden = true;
}

async function remove(section, id) {
  if (!window.confirm(`Remove the provider ${id}? Chains that name it skip it from now on.`)) {
    return;
  }
  const response = await call('DELETE', `/api/providers/${encodeURIComponent(id)}`);
  pageError(section, response.ok ? '' : await problemText(response));
  await refresh(section);
}
