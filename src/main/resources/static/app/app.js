// The web app's entry module: wires the layout (theme, sign-out) and loads the module of each page's form.
import { send } from './api.js';
import { initTheme } from './theme.js';

const PAGES = {
  'sign-in': () => import('./sign-in.js'),
  password: () => import('./password.js'),
};

function initSignOut() {
  document.querySelectorAll('[data-sign-out]').forEach((button) => button.addEventListener('click', async () => {
    button.disabled = true;
    await send('POST', '/api/auth/logout');
    window.location.assign('/sign-in?notice=signed_out');
  }));
}

async function initPage() {
  for (const form of document.querySelectorAll('form[data-form]')) {
    const load = PAGES[form.dataset.form];
    if (load) {
      (await load()).init(form);
    }
  }
  if (document.querySelector('[data-markdown]')) {
    (await import('./markdown.js')).renderAll();
  }
}

initTheme();
initSignOut();
initPage();
