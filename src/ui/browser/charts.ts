/**
 * Hand-drawn SVG charts (no chart library to load or audit): lines over time, paired bars and
 * stacked bars. Each is an image with a text alternative and the numbers in a table beside it, so the
 * data is there for a screen reader and for copying.
 */
import { h } from './dom'

const NS = 'http://www.w3.org/2000/svg'
const W = 640
const H = 220
const PAD = { l: 44, r: 12, t: 12, b: 28 }
const COLORS = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#4d7c0f']

function svg(tag: string, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElement {
  const el = document.createElementNS(NS, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  for (const c of children) el.append(c)
  return el
}

function frame(label: string, max: number, tick = (v: number) => String(Math.round(v))): SVGElement {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'chart' }, svg('title', {}, label))
  for (const f of [0, 0.5, 1]) {
    const y = PAD.t + (1 - f) * (H - PAD.t - PAD.b)
    root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, class: 'grid' }))
    root.append(svg('text', { x: PAD.l - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, tick(max * f)))
  }
  return root
}

function dataTable(caption: string, head: string[], rows: (string | number)[][]): HTMLElement {
  return h(
    'details',
    {},
    h('summary', {}, `${caption} as a table`),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
    ),
  )
}

/** One line per series over shared x labels (dates). */
export function lineChart(label: string, xs: string[], series: { name: string; values: number[] }[]): HTMLElement {
  const max = Math.max(1, ...series.flatMap((s) => s.values))
  const root = frame(label, max)
  const x = (i: number) => PAD.l + (xs.length <= 1 ? 0.5 : i / (xs.length - 1)) * (W - PAD.l - PAD.r)
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b)
  series.forEach((s, n) => {
    const color = COLORS[n % COLORS.length]
    root.append(
      svg('polyline', { points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }),
    )
    s.values.forEach((v, i) => root.append(svg('circle', { cx: x(i), cy: y(v), r: 3, fill: color })))
  })
  if (xs.length) {
    root.append(svg('text', { x: x(0), y: H - 8, class: 'axis' }, xs[0]))
    if (xs.length > 1) root.append(svg('text', { x: x(xs.length - 1), y: H - 8, 'text-anchor': 'end', class: 'axis' }, xs[xs.length - 1]))
  }
  const legend = h('ul', { class: 'legend' }, ...series.map((s, n) => h('li', { 'data-color': n % COLORS.length }, s.name)))
  const rows = xs.map((d, i) => [d, ...series.map((s) => s.values[i])])
  return h('figure', {}, root, legend, h('figcaption', {}, label), dataTable(label, ['Date', ...series.map((s) => s.name)], rows))
}

/** Two bars per item (e.g. a run's seconds and records), each scaled to its own maximum. */
export function pairedBars(label: string, items: { name: string; a: number; b: number }[], names: [string, string]): HTMLElement {
  const root = frame(`${label} (each measure scaled to its own maximum)`, 100)
  const maxA = Math.max(1, ...items.map((i) => i.a))
  const maxB = Math.max(1, ...items.map((i) => i.b))
  const slot = (W - PAD.l - PAD.r) / Math.max(1, items.length)
  const bw = Math.max(2, slot / 2 - 2)
  const plotH = H - PAD.t - PAD.b
  items.forEach((it, i) => {
    const x0 = PAD.l + i * slot + 1
    const ha = (it.a / maxA) * plotH
    const hb = (it.b / maxB) * plotH
    root.append(
      svg(
        'rect',
        { x: x0, y: PAD.t + plotH - ha, width: bw, height: ha, fill: COLORS[0] },
        svg('title', {}, `${it.name}: ${it.a} ${names[0]}`),
      ),
    )
    root.append(
      svg(
        'rect',
        { x: x0 + bw + 1, y: PAD.t + plotH - hb, width: bw, height: hb, fill: COLORS[1] },
        svg('title', {}, `${it.name}: ${it.b} ${names[1]}`),
      ),
    )
  })
  const legend = h(
    'ul',
    { class: 'legend' },
    h('li', { 'data-color': 0 }, `${names[0]} (max ${maxA})`),
    h('li', { 'data-color': 1 }, `${names[1]} (max ${maxB})`),
  )
  return h(
    'figure',
    {},
    root,
    legend,
    h('figcaption', {}, label),
    dataTable(
      label,
      ['Run', ...names],
      items.map((i) => [i.name, i.a, i.b]),
    ),
  )
}

export interface StackedSeries {
  name: string
  /** Bar heights, one per x. */
  values: number[]
  /** What the data table shows per x (e.g. the exact amount with its currency). */
  texts: string[]
}

/** One bar per x (day), stacked by series (vendor); `totals` are the table's last column. */
export function stackedBars(
  label: string,
  xs: string[],
  series: StackedSeries[],
  totals: string[],
  tick: (v: number) => string,
): HTMLElement {
  const sums = xs.map((_, i) => series.reduce((s, se) => s + Math.max(0, se.values[i]), 0))
  const max = Math.max(Number.MIN_VALUE, ...sums)
  const root = frame(label, max, tick)
  const slot = (W - PAD.l - PAD.r) / Math.max(1, xs.length)
  const bw = Math.max(2, slot * 0.8)
  const plotH = H - PAD.t - PAD.b
  xs.forEach((x, i) => {
    let top = PAD.t + plotH
    series.forEach((se, n) => {
      const hgt = (Math.max(0, se.values[i]) / max) * plotH
      if (hgt <= 0) return
      top -= hgt
      root.append(
        svg(
          'rect',
          { x: PAD.l + i * slot + (slot - bw) / 2, y: top, width: bw, height: hgt, fill: COLORS[n % COLORS.length] },
          svg('title', {}, `${x} · ${se.name}: ${se.texts[i]}`),
        ),
      )
    })
  })
  if (xs.length) {
    root.append(svg('text', { x: PAD.l, y: H - 8, class: 'axis' }, xs[0]))
    if (xs.length > 1) root.append(svg('text', { x: W - PAD.r, y: H - 8, 'text-anchor': 'end', class: 'axis' }, xs[xs.length - 1]))
  }
  const legend = h('ul', { class: 'legend' }, ...series.map((s, n) => h('li', { 'data-color': n % COLORS.length }, s.name)))
  const rows = xs.map((d, i) => [d, ...series.map((s) => s.texts[i]), totals[i]])
  return h('figure', {}, root, legend, h('figcaption', {}, label), dataTable(label, ['Day', ...series.map((s) => s.name), 'All'], rows))
}
