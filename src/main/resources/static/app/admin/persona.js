// One persona in the admin console: create or edit it (choices of knowledge bases, tools and chain targets from the
// API), delete it, list its versions and restore one (POST /api/personas/{id}/versions/{version}/restore).
import { call } from '../api.js';
import { button, cell, clearProblem, element, onSubmit, showAlert, showNotice, showRefusal, time } from './console.js';

async function json(path) {
  const response = await call('GET', path);
  return response.ok ? response.json() : null;
}

/** A fieldset of checkboxes named {@code name}, one per choice ({value, label, hint}). */
function fillChoices(fieldset, name, choices, emptyText) {
  const empty = fieldset.querySelector('[data-choices-empty]');
  fieldset.querySelectorAll('label.check').forEach((label) => label.remove());
  empty.textContent = emptyText;
  empty.hidden = choices.length > 0;
  choices.forEach((choice, index) => {
    const label = element('label', 'check');
    const box = element('input');
    box.type = 'checkbox';
    box.name = name;
    box.value = choice.value;
    box.id = `${name}-${index}`;
    label.htmlFor = box.id;
    label.append(box, element('span', 'choice-name', choice.label));
    if (choice.hint) {
      label.append(element('span', 'choice-hint', choice.hint));
    }
    fieldset.append(label);
  });
}

function checked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]`)].filter((box) => box.checked).map((box) => box.value);
}

function definition(form) {
  const number = (field) => (form.elements[field].value === '' ? null : Number(form.elements[field].value));
  return {
    name: form.elements.name.value,
    slug: form.elements.slug.value,
    description: form.elements.description.value,
    instructions: form.elements.instructions.value,
    chain: form.elements.chain.value,
    temperature: number('temperature'),
    maxTokens: number('maxTokens'),
    membersAllowed: form.elements.membersAllowed.checked,
    knowledgeBaseIds: checked(form, 'knowledgeBaseIds'),
    allowedTools: checked(form, 'allowedTools'),
  };
}

class PersonaPage {
  constructor(section) {
    this.section = section;
    this.id = section.dataset.personaId || null;
    this.form = section.querySelector('[data-persona-form]');
    this.notice = section.querySelector('[data-notice]');
    this.versions = section.querySelector('[data-versions]');
  }

  async init() {
    await this.loadChoices();
    if (this.id) {
      const persona = await json(`/api/personas/${this.id}`);
      if (!persona) {
        showAlert(this.form.querySelector('[data-error]'), 'This persona does not exist (any more).');
        return;
      }
      this.show(persona);
      await this.loadVersions();
    }
    onSubmit(this.form, () => this.save());
    const remove = this.section.querySelector('[data-delete]');
    remove.hidden = !this.id;
    remove.addEventListener('click', () => this.remove());
  }

  async loadChoices() {
    const [bases, tools, providers] = await Promise.all([json('/api/knowledge-bases'), json('/api/tools'),
      json('/api/providers')]);
    fillChoices(this.form.querySelector('[data-knowledge-bases]'), 'knowledgeBaseIds',
      (bases?.knowledgeBases ?? []).map((base) => ({ value: base.id, label: base.name, hint: base.description })),
      'No knowledge base yet.');
    fillChoices(this.form.querySelector('[data-tools]'), 'allowedTools',
      (tools?.tools ?? []).map((tool) => ({ value: tool.name, label: tool.name, hint: tool.description })),
      'No tool is available.');
    const targets = (providers?.providers ?? []).flatMap((provider) => provider.models
      .map((model) => `${provider.id}:${model.name}`));
    this.form.querySelector('[data-targets]').replaceChildren(...targets.map((target) => {
      const option = element('option');
      option.value = target;
      return option;
    }));
    if (providers?.defaultChain) {
      this.form.querySelector('[data-chain-hint]').textContent = 'Targets tried in order, as provider:model separated by '
        + `commas; empty for the default chain (${providers.defaultChain}).`;
    }
  }

  show(persona) {
    const form = this.form;
    this.section.querySelector('[data-title]').textContent = persona.name;
    document.title = `${persona.name} · Personas · Switchboard`;
    for (const field of ['name', 'slug', 'description', 'instructions', 'chain']) {
      form.elements[field].value = persona[field] ?? '';
    }
    form.elements.temperature.value = persona.temperature ?? '';
    form.elements.maxTokens.value = persona.maxTokens ?? '';
    form.elements.membersAllowed.checked = persona.membersAllowed;
    form.querySelectorAll('input[name="knowledgeBaseIds"]').forEach((box) => {
      box.checked = persona.knowledgeBaseIds.includes(box.value);
    });
    const tools = this.form.querySelector('[data-tools]');
    const offered = new Set([...tools.querySelectorAll('input')].map((box) => box.value));
    const gone = persona.allowedTools.filter((tool) => !offered.has(tool));
    if (gone.length) {
      // A tool the persona allows that the catalogue no longer offers: shown, so that saving does not drop it silently.
      const known = [...tools.querySelectorAll('label.check')].map((label) => ({
        value: label.querySelector('input').value, label: label.querySelector('.choice-name').textContent,
        hint: label.querySelector('.choice-hint')?.textContent,
      }));
      fillChoices(tools, 'allowedTools', [...known, ...gone.map((tool) => ({ value: tool, label: tool,
        hint: 'not available now: saving with it is refused' }))], '');
    }
    form.querySelectorAll('input[name="allowedTools"]').forEach((box) => {
      box.checked = persona.allowedTools.includes(box.value);
    });
  }

  async save() {
    const body = definition(this.form);
    const response = await call(this.id ? 'PUT' : 'POST', this.id ? `/api/personas/${this.id}` : '/api/personas', body);
    if (!response.ok) {
      return response;
    }
    const persona = await response.json();
    if (!this.id) {
      window.location.assign(`/admin/personas/${persona.id}?created`);
      return null;
    }
    this.show(persona);
    // The notice last: it says the page is up to date, versions included.
    await this.loadVersions();
    showNotice(this.notice, `Saved as version ${persona.version}.`);
    return null;
  }

  async remove() {
    const name = this.form.elements.name.value;
    if (!window.confirm(`Delete the persona “${name}”? Its sessions keep their history, but nobody can talk to it any more.`)) {
      return;
    }
    const response = await call('DELETE', `/api/personas/${this.id}`);
    if (response.ok) {
      window.location.assign('/admin/personas');
    } else {
      await showRefusal(this.form.querySelector('[data-error]'), response);
    }
  }

  async loadVersions() {
    const response = await call('GET', `/api/personas/${this.id}/versions`);
    if (!response.ok) {
      await showRefusal(this.form.querySelector('[data-error]'), response);
      return;
    }
    const { versions } = await response.json();
    const current = versions[0]?.version;
    this.section.querySelector('[data-version-rows]').replaceChildren(...versions.map((version) => {
      const tr = element('tr');
      let action = element('span', 'hint', 'current');
      if (version.version !== current) {
        action = button(`Restore version ${version.version}`);
        action.addEventListener('click', () => this.restore(version.version));
      }
      tr.append(cell(String(version.version), 'number'), cell(time(version.createdAt)), cell(version.persona.name),
        cell(version.persona.chain || 'default'), cell(version.persona.allowedTools.join(', ') || 'none'), cell(action));
      return tr;
    }));
    this.versions.hidden = false;
  }

  async restore(version) {
    if (!window.confirm(`Restore version ${version}? The persona becomes what it was then, saved as a new version.`)) {
      return;
    }
    clearProblem(this.form);
    const response = await call('POST', `/api/personas/${this.id}/versions/${version}/restore`);
    if (!response.ok) {
      await showRefusal(this.form.querySelector('[data-error]'), response);
      return;
    }
    const persona = await response.json();
    this.show(persona);
    await this.loadVersions();
    showNotice(this.notice, `Version ${version} restored as version ${persona.version}.`);
  }
}

export async function init(section) {
  await new PersonaPage(section).init();
  section.setAttribute('aria-busy', 'false');
  if (new URLSearchParams(window.location.search).has('created')) {
    showNotice(section.querySelector('[data-notice]'), 'Persona created.');
  }
}
