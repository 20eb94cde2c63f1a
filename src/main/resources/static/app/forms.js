// Forms sent to the API by script: the values as JSON, the problem's detail shown in the form's alert.
import { problemText } from './api.js';

export function values(form) {
  const data = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) {
      continue;
    }
    data[element.name] = element.type === 'checkbox' ? element.checked : element.value;
  }
  return data;
}

export function showError(form, text) {
  const alert = form.querySelector('[data-error]');
  alert.textContent = text;
  alert.hidden = false;
  alert.focus?.();
}

/** Hides the form's alert: what it reported is past. */
export function hideError(form) {
  const alert = form.querySelector('[data-error]');
  if (alert) {
    alert.hidden = true;
    alert.textContent = '';
  }
}

/**
 * Runs {@code submit(form)} on submission; it resolves to a Response whose refusal is shown, or to nothing, which
 * hides an earlier refusal.
 */
export function handle(form, submit) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) {
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const refused = await submit(form);
      if (refused) {
        showError(form, await problemText(refused));
      } else {
        hideError(form);
      }
    } catch (error) {
      showError(form, 'The server could not be reached. Check the connection and try again.');
    } finally {
      button.disabled = false;
    }
  });
}
