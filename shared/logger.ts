import { Logger } from '@aws-lambda-powertools/logger';

import { redactingReplacer } from './pii/redact';

/**
 * One structured JSON logger per process; handlers add the request id per invocation. Every
 * value passes the redacting replacer, so phone and ID numbers never reach a log line.
 */
export const logger = new Logger({ serviceName: 'anzhi', jsonReplacerFn: redactingReplacer });
