/**
 * Latency percentiles from per-day rollups. Exact percentiles would need every sample; a
 * log-scale histogram (buckets 10% apart) answers p50/p95 within 5% from a few counters per
 * (day, account, key, kind), whatever the number of requests.
 */
const RATIO = 1.1
const LOG_RATIO = Math.log(RATIO)
/** 1.1^160 ms is about 48 days: anything slower is clamped into the last bucket. */
export const MAX_BUCKET = 160

/** Bucket 0 holds [0, 1) ms; bucket b ≥ 1 holds [1.1^(b-1), 1.1^b) ms. */
export function bucketOf(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0
  return Math.min(MAX_BUCKET, 1 + Math.floor(Math.log(latencyMs) / LOG_RATIO))
}

/** The value a bucket stands for: its geometric middle (its error is at most ±5%). */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0.5
  return Math.pow(RATIO, bucket - 0.5)
}

/** Sparse counts: bucket → count. */
export type Histogram = Map<number, number>

export function addSample(histogram: Histogram, latencyMs: number, count = 1): void {
  const bucket = bucketOf(latencyMs)
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + count)
}

/** Nearest-rank percentile (p in 0..1); null for an empty histogram. */
export function percentile(histogram: Histogram, p: number): number | null {
  let total = 0
  for (const count of histogram.values()) total += count
  if (total === 0) return null
  const rank = Math.max(1, Math.ceil(p * total))
  let seen = 0
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!
    if (seen >= rank) return round(bucketValue(bucket))
  }
  return null
}

function round(value: number): number {
  return value < 10 ? Math.round(value * 100) / 100 : Math.round(value * 10) / 10
}

/** Stored as pairs of little-endian uint32 (bucket, count), sorted by bucket: a few bytes per row. */
export function encodeHistogram(histogram: Histogram): Buffer {
  const buckets = [...histogram.keys()].filter((b) => histogram.get(b)! > 0).sort((a, b) => a - b)
  const buffer = Buffer.alloc(buckets.length * 8)
  buckets.forEach((bucket, i) => {
    buffer.writeUInt32LE(bucket, i * 8)
    buffer.writeUInt32LE(histogram.get(bucket)!, i * 8 + 4)
  })
  return buffer
}

export function decodeInto(target: Histogram, encoded: Uint8Array | null | undefined): void {
  if (!encoded || encoded.byteLength < 8) return
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength)
  for (let offset = 0; offset + 8 <= encoded.byteLength; offset += 8) {
    const bucket = view.getUint32(offset, true)
    target.set(bucket, (target.get(bucket) ?? 0) + view.getUint32(offset + 4, true))
  }
}

export function decodeHistogram(encoded: Uint8Array | null | undefined): Histogram {
  const histogram: Histogram = new Map()
  decodeInto(histogram, encoded)
  return histogram
}

/** Sum of two encoded histograms, encoded; either may be null or empty. */
export function mergeEncoded(a: Uint8Array | null, b: Uint8Array | null): Buffer {
  const histogram: Histogram = new Map()
  decodeInto(histogram, a)
  decodeInto(histogram, b)
  return encodeHistogram(histogram)
}
