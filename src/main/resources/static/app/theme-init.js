// Applies the stored theme before the page is painted (a classic script in <head>; the theme module does the rest).
(function () {
  try {
    var theme = localStorage.getItem('switchboard.theme');
    if (theme === 'dark' || theme === 'light') {
      document.documentElement.dataset.theme = theme;
    }
  } catch (ignored) {
    // Storage refused (private mode): follow the system.
  }
})();
