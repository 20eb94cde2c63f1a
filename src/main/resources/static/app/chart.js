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

/**
 * A colour of the theme as the canvas needs it (rgb): the custom properties are light-dark() pairs, which only a
 * property of an element resolves, so a hidden probe takes the colour and reports it computed.
 */
function themeColour(name) {
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.color = `var(${name})`;
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

const PALETTE = ['--accent', '--error-text', '--notice-text', '--muted'];

/** Drawn charts by container, drawn again when the theme changes (their colours are read when drawing). */
const drawn = new Map();

function redrawAll() {
  for (const [container, spec] of drawn) {
    if (container.isConnected) {
      draw(container, spec);
    } else {
      drawn.get(container).observer?.disconnect();
      drawn.delete(container);
    }
  }
}

let watching = false;

function watchTheme() {
  if (watching) {
    return;
  }
  watching = true;
  // The toggle (theme.js) sets data-theme on <html>; the system's scheme changes without it.
  new MutationObserver(redrawAll).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);
}

/** The smallest step between successive x values: the width of one bar's slot. */
function step(x, fallback) {
  let smallest = Infinity;
  for (let i = 1; i < x.length; i++) {
    smallest = Math.min(smallest, Math.abs(x[i] - x[i - 1]));
  }
  return Number.isFinite(smallest) && smallest > 0 ? smallest : fallback;
}

/**
 * The scales for what the chart shows: values from zero (bars and latencies read against it; below it only when a
 * value is negative); category positions each centred in their slot; bars on a time axis half a slot wide either side
 * of the first and last; a time axis of at least a minute (one point would otherwise span years).
 */
function scales(x, { time, bars, slot }) {
  const y = { range: (u, min, max) => [Math.min(0, min ?? 0), max > 0 ? max * 1.1 : (max < 0 ? 0 : 1)] };
  const first = Math.min(...x);
  const last = Math.max(...x);
  let range = null;
  if (!time) {
    range = [-0.5, x.length - 0.5];
  } else if (bars) {
    const half = step(x, slot ?? 86400) / 2;
    range = [first - half, last + half];
  } else if (last - first < 60) {
    range = [first - 30, last + 30];
  }
  return { x: range ? { time, range: () => range } : { time }, y };
}

function draw(container, spec) {
  const { uPlot, x, series, time, labels, bars, title, slot } = spec;
  spec.observer?.disconnect();
  spec.plot?.destroy();
  container.replaceChildren();
  const text = themeColour('--text');
  const grid = themeColour('--border');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const options = {
    title,
    width: Math.max(container.clientWidth, 240),
    height: 220,
    scales: x.length ? scales(x, { time, bars, slot }) : { x: { time } },
    // The fitted ranges on the container (data-x-min, data-x-max, data-y-min, data-y-max), for a reader or a test.
    hooks: { setScale: [(u, key) => {
      container.dataset[`${key}Min`] = String(u.scales[key].min);
      container.dataset[`${key}Max`] = String(u.scales[key].max);
    }] },
    axes: [labels ? { ...axis, values: (u, ticks) => ticks.map((tick) => labels[tick] ?? '') } : axis, axis],
    series: [{}, ...series.map((one, index) => ({
      label: one.label,
      stroke: themeColour(PALETTE[index % PALETTE.length]),
      width: 2,
      fill: bars ? themeColour(PALETTE[index % PALETTE.length]) : undefined,
      paths: bars ? uPlot.paths.bars({ size: [0.6, 64], align: 0 }) : undefined,
    }))],
  };
  const plot = new uPlot(options, [x, ...series.map((one) => one.values)], container);
  const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(container.clientWidth, 240), height: 220 }));
  observer.observe(container);
  spec.plot = plot;
  spec.observer = observer;
  drawn.set(container, spec);
  return plot;
}

/**
 * Draws a chart into {@code container} (emptied first) and returns the uPlot instance. {@code x}: numbers (epoch
 * seconds when {@code time} is true, else category positions 0..n-1 labelled by {@code labels}); {@code series}: [{label,
 * values}], one line (or bars with {@code bars: true}, centred on their x) each; {@code slot}: the seconds one bar of a
 * time axis stands for when there is a single one (default a day). Values are read from zero; the chart follows the
 * container's width and is drawn again in the theme's colours when the theme changes.
 */
export async function chart(container, { x, series, time = true, labels, bars = false, title, slot }) {
  const uPlot = await loadUPlot();
  watchTheme();
  drawn.get(container)?.observer?.disconnect();
  drawn.get(container)?.plot?.destroy();
  drawn.delete(container);
  return draw(container, { uPlot, x, series, time, labels, bars, title, slot });
}
