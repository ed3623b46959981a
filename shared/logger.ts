import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per process; handlers add the request id per invocation. */
export const logger = new Logger({ serviceName: 'anzhi' });
