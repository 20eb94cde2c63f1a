// What the admin console's pages share: table cells, dates, and refusals shown next to the form that caused them.

/** An element with an optional class and text (never HTML). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}

/** A table cell; {@code content} is text or a node. */
export function cell(content, className) {
  const td = element('td', className);
  if (content instanceof Node) {
    td.append(content);
  } else {
    td.textContent = content ?? '';
  }
  return td;
}

export function button(text, className = 'secondary') {
  const node = element('button', className, text);
  node.type = 'button';
  return node;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** An ISO-8601 instant as a <time> element in the reader's locale ('' when absent). */
export function time(instant, withTime = true) {
  if (!instant) {
    return '';
  }
  const node = element('time', null, (withTime ? DATE_TIME : DATE).format(new Date(instant)));
  node.dateTime = instant;
  return node;
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch (ignored) {
    return {};
  }
}

/** Removes the field messages and the alert that {@link showProblem} put on the form. */
export function clearProblem(form) {
  form.querySelectorAll('.field-error').forEach((message) => message.remove());
  form.querySelectorAll('[aria-invalid]').forEach((control) => {
    control.removeAttribute('aria-invalid');
    const described = (control.getAttribute('aria-describedby') || '').split(' ')
      .filter((id) => id && !id.endsWith('-problem')).join(' ');
    if (described) {
      control.setAttribute('aria-describedby', described);
    } else {
      control.removeAttribute('aria-describedby');
    }
  });
  const alert = form.querySelector('[data-error]');
  if (alert) {
    alert.hidden = true;
    alert.textContent = '';
  }
}

function markField(form, field, message) {
  const control = form.elements.namedItem(field);
  if (!(control instanceof HTMLElement) || !control.id) {
    return false;
  }
  const note = element('p', 'field-error', message);
  note.id = `${control.id}-problem`;
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), note.id].filter(Boolean).join(' '));
  control.after(note);
  return true;
}

/**
 * Shows a refusal (RFC 9457 problem) on the form: the detail in its alert, and each field the problem names — Bean
 * Validation's {@code errors: [{field, message}]}, or a detail that starts with "field: " — beside its control.
 */
export async function showProblem(form, response) {
  clearProblem(form);
  const problem = await problemOf(response);
  const detail = problem.detail || problem.title || `The server answered ${response.status}.`;
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  errors.forEach((error) => markField(form, error.field, error.message));
  const named = /^([a-zA-Z]+): (.+)$/.exec(detail);
  if (!errors.length && named) {
    markField(form, named[1], named[2]);
  }
  showAlert(form.querySelector('[data-error]'), detail);
}

/** Shows {@code text} in an alert element and moves the focus there, so that a screen reader and the eye find it. */
export function showAlert(alert, text) {
  alert.textContent = text;
  alert.hidden = false;
  alert.focus?.();
}

/** Shows a problem's detail in an alert that belongs to no form (a list's actions). */
export async function showRefusal(alert, response) {
  const problem = await problemOf(response);
  showAlert(alert, problem.detail || problem.title || `The server answered ${response.status}.`);
}

/** Shows a passing notice (an action done). */
export function showNotice(notice, text) {
  notice.textContent = text;
  notice.hidden = false;
}

/**
 * Runs {@code submit(form)} on submission, its button disabled meanwhile; {@code submit} resolves to a refused Response
 * (shown on the form) or to nothing.
 */
export function onSubmit(form, submit) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(form);
    if (!form.reportValidity()) {
      return;
    }
    const submitButton = form.querySelector('button[type="submit"]');
    submitButton.disabled = true;
    try {
      const refused = await submit(form);
      if (refused) {
        await showProblem(form, refused);
      }
    } catch (error) {
      showAlert(form.querySelector('[data-error]'), 'The server could not be reached. Check the connection and try again.');
    } finally {
      submitButton.disabled = false;
    }
  });
}
