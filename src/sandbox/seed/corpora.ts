import type { FilterAttribute } from '../store/corporaTable'
import { handbookDocuments } from './documents/handbook'
import { productFaqDocuments } from './documents/productFaq'
import { releaseNoteDocuments } from './documents/releaseNotes'
import { runbookDocuments } from './documents/runbooks'
import type { SeedDocument } from './documents/types'

export interface SeedCorpus {
  key: string
  name: string
  description: string
  saveHistory: boolean
  filterAttributes: FilterAttribute[]
  documents: SeedDocument[]
}

const lang: FilterAttribute = {
  name: 'lang',
  level: 'part',
  description: 'ISO 639-3 language of the part.',
  indexed: true,
  type: 'text'
}
const year = (description: string): FilterAttribute => ({
  name: 'year',
  level: 'document',
  description,
  indexed: true,
  type: 'integer'
})

export const seedCorpora: SeedCorpus[] = [
  {
    key: 'employee-handbook',
    name: 'Employee handbook',
    description:
      'Kestrel Lantern Co. policies: leave, remote work, expenses, security and benefits.',
    saveHistory: true,
    filterAttributes: [
      year('Year the policy was last revised.'),
      {
        name: 'category',
        level: 'document',
        description: 'Policy area.',
        indexed: true,
        type: 'text'
      },
      lang
    ],
    documents: handbookDocuments
  },
  {
    key: 'product-faq',
    name: 'Trailglow product FAQ',
    description: 'Customer questions about Trailglow lanterns, orders and the Kestrel Hub app.',
    saveHistory: false,
    filterAttributes: [
      {
        name: 'product',
        level: 'document',
        description: 'Product the answer is about.',
        indexed: true,
        type: 'text'
      },
      {
        name: 'category',
        level: 'document',
        description: 'Topic of the question.',
        indexed: true,
        type: 'text'
      },
      year('Year the answer was written.'),
      lang
    ],
    documents: productFaqDocuments
  },
  {
    key: 'release-notes',
    name: 'Release notes',
    description: 'What changed in each Kestrel Hub app, lantern firmware and partner API release.',
    saveHistory: false,
    filterAttributes: [
      {
        name: 'version',
        level: 'document',
        description: 'Release version.',
        indexed: true,
        type: 'text'
      },
      {
        name: 'component',
        level: 'document',
        description: 'app, firmware or api.',
        indexed: true,
        type: 'text'
      },
      year('Year of the release.'),
      lang
    ],
    documents: releaseNoteDocuments
  },
  {
    key: 'support-runbooks',
    name: 'Support runbooks',
    description: 'Step-by-step guides for the customer care, platform and security teams.',
    saveHistory: false,
    filterAttributes: [
      {
        name: 'severity',
        level: 'document',
        description: 'low, medium or high.',
        indexed: true,
        type: 'text'
      },
      { name: 'team', level: 'document', description: 'Owning team.', indexed: true, type: 'text' },
      {
        name: 'reviewed',
        level: 'document',
        description: 'Reviewed this year.',
        indexed: true,
        type: 'boolean'
      },
      { name: 'step', level: 'part', description: 'Step number.', indexed: true, type: 'integer' },
      lang
    ],
    documents: runbookDocuments
  }
]
