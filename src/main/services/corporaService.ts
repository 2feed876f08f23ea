import type { CallOutput } from '@shared/contract'
import type { CorpusCacheTable } from '../db/tables/corpusCacheTable'
import { isVectaraError } from '../vectara'
import type { AccountsService } from './accountsService'
import type { VectaraClients } from './vectaraClients'

export interface CorporaServiceDeps {
  accounts: AccountsService
  clients: VectaraClients
  corpusCache: CorpusCacheTable
  now?: () => number
}

/** The corpora of an account, for the pickers; kept in SQLite so they still show offline. */
export class CorporaService {
  private readonly now: () => number

  constructor(private readonly deps: CorporaServiceDeps) {
    this.now = deps.now ?? Date.now
  }

  async list(accountId: string): Promise<CallOutput<'corpora.list'>> {
    const account = this.deps.accounts.get(accountId)
    try {
      const client = await this.deps.clients.forAccount(account)
      const corpora = (await client.listAllCorpora())
        .filter((c) => c.key)
        .map((c) => ({
          key: c.key!,
          name: c.name || c.key!,
          ...(c.description ? { description: c.description } : {})
        }))
      this.deps.corpusCache.replace(accountId, corpora, this.now())
      return { corpora }
    } catch (error) {
      // Offline: the last known corpora still let the user pick.
      const cached = this.deps.corpusCache.list(accountId)
      if (cached.length > 0 && isVectaraError(error) && error.code === 'NETWORK_ERROR')
        return { corpora: cached }
      throw error
    }
  }
}
