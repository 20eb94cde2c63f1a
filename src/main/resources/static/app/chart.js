// Charts for the admin console: uPlot from its WebJar (a canvas; it sets sizes through the CSSOM, which the
// Content-Security-Policy allows, never through style attributes in markup). Loaded on first use only.
let loading;

function loadUPlot() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/webjars/uplot/dist/uPlot.min.css';
      document.head.append(css);
      const script = document.createElement('script');
      script.src = '/webjars/uplot/dist/uPlot.iife.min.js';
      script.onload = () => resolve(window.uPlot);
      script.onerror = () => reject(new Error('The chart library could not be loaded.'));
      document.head.append(script);
    });
  }
  return loading;
}

function themeColour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const PALETTE = ['--accent', '--error-text', '--notice-text', '--muted'];

/**
 * Draws a chart into {@code container} (emptied first) and returns the uPlot instance. {@code x}: numbers (epoch
 * seconds when {@code time} is true, else category positions 0..n-1 labelled by {@code labels}); {@code series}: [{label,
 * values}], one line (or bars with {@code bars: true}) each. The chart follows the container's width.
 */
export async function chart(container, { x, series, time = true, labels, bars = false, title }) {
  const uPlot = await loadUPlot();
  container.replaceChildren();
  const text = themeColour('--text');
  const grid = themeColour('--border');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const options = {
    title,
    width: Math.max(container.clientWidth, 240),
    height: 220,
    scales: { x: { time } },
    axes: [labels ? { ...axis, values: (u, ticks) => ticks.map((tick) => labels[tick] ?? '') } : axis, axis],
    series: [{}, ...series.map((one, index) => ({
      label: one.label,
      stroke: themeColour(PALETTE[index % PALETTE.length]),
      width: 2,
      fill: bars ? themeColour(PALETTE[index % PALETTE.length]) : undefined,
      paths: bars ? uPlot.paths.bars({ size: [0.6, 64] }) : undefined,
    }))],
  };
  const plot = new uPlot(options, [x, ...series.map((one) => one.values)], container);
  new ResizeObserver(() => plot.setSize({ width: Math.max(container.clientWidth, 240), height: 220 })).observe(container);
  return plot;
}
