// Dark mode: follows the system until the user presses the toggle; their choice is stored and applies everywhere.
const KEY = 'switchboard.theme';
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

/** The theme in effect: the stored choice, else the system's. */
export function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'dark' || chosen === 'light') {
    return chosen;
  }
  return systemDark.matches ? 'dark' : 'light';
}

function store(theme) {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch (ignored) {
    // Not stored: it still applies to this page.
  }
}

export function initTheme(root = document) {
  const toggles = root.querySelectorAll('[data-theme-toggle]');
  const show = () => toggles.forEach((toggle) => toggle.setAttribute('aria-pressed', String(currentTheme() === 'dark')));
  toggles.forEach((toggle) => toggle.addEventListener('click', () => {
    store(currentTheme() === 'dark' ? 'light' : 'dark');
    show();
  }));
  systemDark.addEventListener('change', show);
  show();
}
