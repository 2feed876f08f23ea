import type { SeedDocument } from './types'

/** Internal support runbooks of the (fictional) Kestrel customer care team. */
const runbook = (
  id: string,
  severity: 'low' | 'medium' | 'high',
  team: string,
  reviewed: boolean,
  title: string,
  steps: string[]
): SeedDocument => ({
  type: 'structured',
  id,
  title,
  metadata: { severity, team, reviewed },
  sections: steps.map((text, i) => ({
    title: `Step ${i + 1}`,
    text,
    metadata: { lang: 'eng', step: i + 1 }
  }))
})

export const runbookDocuments: SeedDocument[] = [
  runbook(
    'runbook-lantern-wont-charge',
    'medium',
    'customer-care',
    true,
    'Lantern does not charge',
    [
      'Ask the customer which cable and charger they use; many cheap cables carry power for phones but not enough current for the lantern.',
      'Have them try a charger of at least 10 watts for thirty minutes and watch whether the ring turns amber.',
      'If the ring stays dark, collect the serial number from under the base and open a warranty case.'
    ]
  ),
  runbook(
    'runbook-app-cannot-find-lantern',
    'low',
    'customer-care',
    true,
    'App cannot find a lantern',
    [
      'Confirm that the phone has Bluetooth and location permission enabled for Kestrel Hub, since Android requires both for scanning.',
      'Ask the customer to hold the power button for five seconds until the ring pulses blue, which puts the lantern into pairing mode.',
      'If the lantern still does not appear, reset it by holding the power and brightness buttons together for ten seconds.'
    ]
  ),
  runbook('runbook-partner-api-outage', 'high', 'platform', true, 'Partner API outage', [
    'Page the platform on-call engineer immediately when the partner API error rate stays above five percent for five minutes.',
    'Post a notice on the status page within fifteen minutes, even if the cause is not yet known.',
    'If a single retailer key floods the API, disable that key rather than blocking the whole partner network, and tell the retailer why.'
  ]),
  runbook('runbook-leaked-api-key', 'high', 'security', true, 'A partner API key was leaked', [
    'Disable the leaked key at once; disabling takes about a minute to reach every server.',
    'Create a replacement key with the same corpora and send it to the retailer through the partner portal, never by email.',
    'After the retailer confirms the new key works, delete the old one and record the incident in the security log.'
  ]),
  runbook('runbook-damaged-parcel', 'low', 'logistics', false, 'Parcel arrived damaged', [
    'Ask for photos of the parcel and the product before anything is thrown away.',
    'Send a replacement straight away for orders under 150 euros without waiting for the carrier claim.'
  ])
]
