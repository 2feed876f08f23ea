import type { SeedDocument } from './types'

/** Release notes of the (fictional) Kestrel Hub app and lantern firmware. */
const note = (
  version: string,
  year: number,
  component: string,
  title: string,
  changes: string[]
): SeedDocument => ({
  type: 'structured',
  id: `release-${component}-${version}`,
  title,
  metadata: { version, year, component },
  sections: changes.map((text) => ({ text, metadata: { lang: 'eng' } }))
})

export const releaseNoteDocuments: SeedDocument[] = [
  note('3.0.0', 2025, 'app', 'Kestrel Hub 3.0', [
    'Kestrel Hub 3.0 introduces light scenes: save a brightness and colour temperature for reading, cooking or stargazing and switch with one tap.',
    'The lantern list was redesigned and now shows the battery level and estimated runtime of every paired lantern.',
    'Support for Android 9 ended with this release; the app now needs Android 10 or newer.'
  ]),
  note('3.1.0', 2025, 'app', 'Kestrel Hub 3.1', [
    'Group control lets you switch several lanterns on or off at once, for example all the lights around a campsite.',
    'Pairing is faster: the app now finds lanterns in about two seconds instead of eight.',
    'Fixed a crash that happened when a lantern was renamed while its firmware was updating.'
  ]),
  note('3.2.0', 2026, 'app', 'Kestrel Hub 3.2', [
    'A new sunset timer fades the lantern out over twenty minutes, so children can fall asleep with the light on.',
    'Battery history charts show how many charge cycles each lantern has used, which helps when claiming the battery warranty.',
    'The app is now available in German, French and Dutch.'
  ]),
  note('2.4.1', 2024, 'firmware', 'Lantern firmware 2.4.1', [
    'Firmware 2.4.1 improves the accuracy of the battery percentage in cold weather.',
    'The SOS strobe on the Trailglow Max now continues after the button is accidentally pressed once.',
    'Fixed an issue where the charging ring stayed amber after the battery was full.'
  ]),
  note('2.5.0', 2025, 'firmware', 'Lantern firmware 2.5.0', [
    'Firmware 2.5.0 adds a candle flicker effect to the Trailglow 2 and Trailglow Max.',
    'The low battery warning now flashes twice at twenty percent and again at five percent.',
    'Solar charging is about fifteen percent more efficient on cloudy days thanks to a new charging curve.'
  ]),
  note('2.6.0', 2026, 'firmware', 'Lantern firmware 2.6.0', [
    'Firmware 2.6.0 lets lanterns remember their last brightness when switched on without the app.',
    'Bluetooth range increased to about fifteen metres in open air.',
    'Firmware updates can now be resumed after an interruption instead of starting again from the beginning.'
  ]),
  note('1.0.0', 2023, 'api', 'Kestrel partner API 1.0', [
    'The partner API lets outdoor retailers check stock levels and order lanterns for their shops.',
    'Every request needs an API key in the x-api-key header; keys are issued per retailer and can be disabled at any time.',
    'Requests are limited to twenty per second per key, and the API answers 429 with a Retry-After header when a key sends more.'
  ])
]
