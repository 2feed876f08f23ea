/**
 * The scan threads, off main's event loop. One file, two roles (`workerData.role`), started
 * together by ScanThreads, one thread per core, and kept for the next scan while they are idle:
 * - `lister`: runs one scan at a time (listerJob.ts) when main sends `start`;
 * - `reader`: reads the batches the lister sends it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { FileScanner } from './fileScanner'
import { startJob, type Reader, type RunningJob } from './listerJob'
import type {
  BatchDone,
  ListerCommand,
  ListerMessage,
  ListerWorkerData,
  ReadBatch,
  ReaderSetup,
  ReaderWorkerData
} from './protocol'
import { cancelCheck, readBatch } from './readBatch'

const data = workerData as ListerWorkerData | ReaderWorkerData | undefined
if (data?.role === 'reader') runReader(data)
else if (data?.role === 'lister') runLister(data)

function runReader({ port }: ReaderWorkerData): void {
  let scanner = new FileScanner({ maxFileBytes: null })
  let isCancelled = (): boolean => false
  port.on('message', (message: ReaderSetup | ReadBatch) => {
    if (message.type === 'setup') {
      isCancelled = cancelCheck(message.cancel)
      scanner = new FileScanner({ maxFileBytes: message.maxFileBytes, isCancelled })
      return
    }
    port.postMessage(readBatch(scanner, message, isCancelled) satisfies BatchDone)
  })
}

function runLister({ readers: ports }: ListerWorkerData): void {
  const port = parentPort
  if (!port) return
  const send = (message: ListerMessage): void => port.postMessage(message)
  const readers: Reader[] = ports.map((readerPort) => ({ port: readerPort, inFlight: 0 }))
  let running: { id: number; job: RunningJob } | null = null
  for (const reader of readers) {
    reader.port.on('message', (done: BatchDone) => running?.job.onBatchDone(reader, done))
  }
  port.on('message', (command: ListerCommand) => {
    if (command.type === 'cancel') {
      if (running?.id === command.id) running.job.wake()
      return
    }
    const { id } = command.job
    if (running) {
      send({ id, type: 'failed', message: 'A scan is already running on these threads' })
      return
    }
    const job = startJob(command.job, readers, send, () => (running = null))
    // A job ends on a later turn of the event loop at the earliest, after this assignment.
    running = { id, job }
  })
}
