// The admin console's persona list: every persona of the tenant (GET /api/personas answers them all, in full, to
// admins), each linking to its page.
import { call } from '../api.js';
import { cell, element, showRefusal, time } from './console.js';

function row(persona) {
  const tr = element('tr');
  const link = element('a', null, persona.name);
  link.href = `/admin/personas/${persona.id}`;
  tr.append(cell(link), cell(element('code', null, persona.slug)), cell(persona.chain || 'default'),
    cell(persona.allowedTools.length ? persona.allowedTools.join(', ') : 'none'),
    cell(persona.membersAllowed ? 'yes' : 'admins only'), cell(String(persona.version), 'number'),
    cell(time(persona.updatedAt || persona.createdAt)));
  return tr;
}

export async function init(section) {
  const response = await call('GET', '/api/personas');
  if (response.ok) {
    const { personas } = await response.json();
    section.querySelector('[data-rows]').replaceChildren(...personas.map(row));
    section.querySelector('[data-empty]').hidden = personas.length > 0;
  } else {
    await showRefusal(section.querySelector('[data-error]'), response);
  }
  section.setAttribute('aria-busy', 'false');
}
