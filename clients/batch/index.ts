/** The batch client's public surface: what is not exported here is not API. */
export { annotBody, type CallOptions, SodaClient, type SodaClientOptions } from "./client.js";
export {
  type InputItem,
  listPartitions,
  type Partition,
  readJsonl,
  readJsonlBatches,
  readPartition,
  readPartitionBatches,
} from "./documents.js";
export {
  isDocumentError,
  isSodaClientError,
  isSodaConnectionError,
  isSodaHttpError,
  isSodaInputError,
  isSodaResponseError,
  isSodaTimeoutError,
  SodaClientError,
  type SodaClientErrorCode,
  SodaConnectionError,
  SodaHttpError,
  SodaInputError,
  SodaResponseError,
  SodaTimeoutError,
} from "./errors.js";
export { httpTaggers } from "./http-taggers.js";
export {
  type OrderedMapOptions,
  OrderedWindow,
  type OrderedWindowOptions,
  orderedMap,
} from "./ordered-window.js";
export { OUTPUT_FORMATS, type OutputFormat } from "./output.js";
export {
  backoffDelay,
  parseRetryAfter,
  RETRY_ERROR_CODES,
  RETRY_STATUS_CODES,
  type RetryEvent,
  type RetryOptions,
} from "./retry.js";
export {
  annotateBatches,
  annotateItems,
  type OnError,
  RunCounters,
  type RunOptions,
  type RunReport,
  runPartitions,
} from "./runner.js";
export {
  type AnnotSettings,
  inProcessTaggers,
  type OpenTagger,
  type Tagger,
  withFirstCall,
} from "./taggers.js";
export type * from "./types.js";
