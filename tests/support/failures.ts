import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Failure injection for the queue: an SQS client talking to the real emulator whose sends fail
 * when `shouldFail()` says so (a throwing SQS send, as a network fault or throttle would).
 */
export function flakySqsClient(endpoint: string, shouldFail: (command: string) => boolean): SQSClient {
  const client = new SQSClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (shouldFail(context.commandName ?? '')) {
        throw Object.assign(new Error(`injected failure: ${context.commandName}`), { name: 'InjectedFailure' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectFailures' },
  );
  return client;
}
