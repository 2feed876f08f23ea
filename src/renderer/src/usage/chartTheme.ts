import { onBeforeUnmount, ref, type Ref } from 'vue'

export interface ChartTheme {
  text: string
  muted: string
  grid: string
  accent: string
  danger: string
  warning: string
  series: string[]
  other: string
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

function readTheme(): ChartTheme {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false
  return {
    text: cssVar('--text') || '#16181d',
    muted: cssVar('--text-muted') || '#5d6270',
    grid: cssVar('--border') || '#e1e3ea',
    accent: cssVar('--accent') || '#4f46e5',
    danger: cssVar('--danger') || '#c2261d',
    warning: cssVar('--warning') || '#b45309',
    // Distinct in both themes and for the common colour-vision deficiencies (Okabe–Ito based).
    series: dark
      ? ['#818cf8', '#67d3e6', '#fbbf24', '#f472b6', '#4ade80', '#fb923c', '#c4a5fd']
      : ['#4f46e5', '#0e7490', '#d97706', '#db2777', '#15803d', '#ea580c', '#7c3aed'],
    other: dark ? '#4b5060' : '#c4c7d1'
  }
}

/** Chart colours from the design tokens, updated when the OS switches light and dark. */
export function useChartTheme(): Ref<ChartTheme> {
  const theme = ref(readTheme())
  const media = window.matchMedia?.('(prefers-color-scheme: dark)')
  const update = (): void => {
    theme.value = readTheme()
  }
  media?.addEventListener('change', update)
  onBeforeUnmount(() => media?.removeEventListener('change', update))
  return theme
}

const hour = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

export function bucketLabels(buckets: number[], unit: 'hour' | 'day'): string[] {
  return buckets.map((start) => (unit === 'hour' ? hour.format(start) : day.format(start)))
}
