import type { SeedDocument } from './types'

/** Questions customers ask about Trailglow lanterns and the Kestrel Hub app (fictional). */

const faq = (
  id: string,
  product: string,
  category: string,
  year: number,
  parts: { text: string; lang?: string }[]
): SeedDocument => ({
  type: 'core',
  id,
  metadata: { product, category, year, title: parts[0].text },
  document_parts: parts.map((p) => ({ text: p.text, metadata: { lang: p.lang ?? 'eng' } }))
})

export const productFaqDocuments: SeedDocument[] = [
  faq('faq-battery-life', 'trailglow-2', 'battery', 2025, [
    { text: 'How long does the Trailglow 2 battery last?' },
    {
      text: 'On the low setting the Trailglow 2 runs for about 80 hours, on medium for 22 hours and on high for 7 hours.'
    },
    {
      text: 'Cold weather below zero degrees can shorten the runtime by a third, so keep the lantern in your sleeping bag overnight.'
    },
    {
      text: 'Wie lange hält der Akku der Trailglow 2? Auf der niedrigen Stufe etwa 80 Stunden.',
      lang: 'deu'
    }
  ]),
  faq('faq-charging', 'trailglow-2', 'battery', 2025, [
    { text: 'How do I charge my lantern?' },
    {
      text: 'Connect the USB-C port under the rubber flap to any charger of at least 10 watts; a full charge takes about three hours.'
    },
    {
      text: 'The ring around the power button glows amber while charging and turns green when the battery is full.'
    },
    {
      text: 'The built-in solar panel adds roughly one hour of light for every four hours of direct sunlight.'
    },
    {
      text: 'Comment recharger ma lanterne ? Branchez le port USB-C situé sous le cache en caoutchouc.',
      lang: 'fra'
    }
  ]),
  faq('faq-waterproof', 'trailglow-max', 'durability', 2024, [
    { text: 'Is the Trailglow Max waterproof?' },
    {
      text: 'The Trailglow Max is rated IP67, which means it survives being submerged in one metre of water for thirty minutes.'
    },
    {
      text: 'Close the charging flap firmly before you take it near water, because the rating only holds with the flap sealed.'
    }
  ]),
  faq('faq-warranty', 'all', 'warranty', 2025, [
    { text: 'What does the warranty cover?' },
    {
      text: 'Every Trailglow lantern has a three-year warranty against defects in materials and workmanship.'
    },
    { text: 'The battery is covered for two years or 500 charge cycles, whichever comes first.' },
    {
      text: 'Damage from drops, crushing or opening the housing is not covered, but we offer discounted repairs for those cases.'
    }
  ]),
  faq('faq-returns', 'all', 'orders', 2025, [
    { text: 'Can I return a lantern I bought online?' },
    { text: 'You can return any unused product within 45 days of delivery for a full refund.' },
    {
      text: 'Start a return from your order page; we email a prepaid label and refund you within five working days of receiving the parcel.'
    }
  ]),
  faq('faq-shipping', 'all', 'orders', 2024, [
    { text: 'How long does shipping take?' },
    {
      text: 'Orders placed before 2 pm on a working day leave our Harwick warehouse the same day.'
    },
    {
      text: 'Standard delivery takes two to four working days within the EU, and express delivery arrives the next working day for an extra fee.'
    }
  ]),
  faq('faq-pairing', 'kestrel-hub', 'app', 2025, [
    { text: 'How do I pair a lantern with the Kestrel Hub app?' },
    {
      text: 'Hold the power button for five seconds until the ring pulses blue, then tap Add lantern in the app.'
    },
    {
      text: 'Pairing uses Bluetooth Low Energy, so keep your phone within three metres of the lantern.'
    },
    {
      text: 'If pairing fails, switch Bluetooth off and on again and make sure the lantern has at least ten percent charge.'
    }
  ]),
  faq('faq-firmware', 'kestrel-hub', 'app', 2025, [
    { text: 'How do I update the lantern firmware?' },
    {
      text: 'The Kestrel Hub app shows an update badge when new firmware is available for a paired lantern.'
    },
    {
      text: 'Keep the lantern on its charger during the update, which takes about four minutes and must not be interrupted.'
    },
    {
      text: 'If an update is interrupted, the lantern falls back to its previous firmware and you can simply try again.'
    }
  ]),
  faq('faq-brightness', 'trailglow-mini', 'features', 2024, [
    { text: 'How bright is the Trailglow Mini?' },
    {
      text: 'The Trailglow Mini gives up to 250 lumens, enough to light a two-person tent or a small table.'
    },
    {
      text: 'Its warm white LEDs run at 2700 kelvin, which is kinder to night vision than the cold light of most torches.'
    }
  ]),
  faq('faq-sos-mode', 'trailglow-max', 'features', 2025, [
    { text: 'Does the Trailglow Max have an emergency mode?' },
    {
      text: 'Press the power button three times quickly to start the SOS strobe, which flashes the international distress signal in red.'
    },
    { text: 'In SOS mode a full battery lasts for more than five days of continuous signalling.' }
  ]),
  faq('faq-battery-replacement', 'trailglow-2', 'battery', 2023, [
    { text: 'Can I replace the battery myself?' },
    {
      text: 'Yes: the Trailglow 2 uses a standard 18650 cell behind a four-screw cover, and a replacement kit with a screwdriver is sold in our shop.'
    },
    {
      text: 'Use only protected cells from a known brand, because unprotected cells can overheat if they are short-circuited.'
    }
  ])
]
