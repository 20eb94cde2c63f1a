// The web app's entry module: wires the layout (theme, sign-out) and loads the module of each page (forms, chat).
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

/** Menus (<details>) close on Escape, returning focus to their button, and on a click elsewhere. */
function initMenus() {
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') {
      return;
    }
    document.querySelectorAll('details[open]').forEach((menu) => {
      menu.open = false;
      menu.querySelector('summary').focus();
    });
  });
  document.addEventListener('click', (event) => {
    document.querySelectorAll('details[open]').forEach((menu) => {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
}

async function initPage() {
  for (const form of document.querySelectorAll('form[data-form]')) {
    const load = PAGES[form.dataset.form];
    if (load) {
      (await load()).init(form);
    }
  }
  const chat = document.querySelector('[data-chat]');
  if (chat) {
    (await import('./chat.js')).init(chat);
  }
  // An admin console page names its module: <section data-admin-page="keys"> loads ./admin/keys.js
  for (const page of document.querySelectorAll('[data-admin-page]')) {
    const name = page.dataset.adminPage;
    if (/^[a-z][a-z-]*$/.test(name)) {
      (await import(`./admin/${name}.js`)).init(page);
    }
  }
  if (document.querySelector('[data-markdown]')) {
    (await import('./markdown.js')).renderAll();
  }
}

initTheme();
initSignOut();
initMenus();
initPage();
