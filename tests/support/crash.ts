import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { localDynamoClient } from '../../infra/local/provision';
import { resetClientsForTests, setClientsForTests } from '../../shared/aws';

/**
 * A process that dies between two writes, on the real engines: DynamoDB and SQS clients that count
 * every write (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem, SendMessage,
 * SendMessageBatch) and, once the k-th has landed, throw — and go on throwing for every later call,
 * reads included, because a dead process does nothing more (a catch block that "carries on" after
 * a failed flush must not get to write either).
 */
export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

const writeCommands = /^(PutItem|Update|UpdateItem|DeleteItem|Delete|Put|TransactWriteItems|TransactWrite|BatchWriteItem|BatchWrite|SendMessage|SendMessageBatch)Command$/;

export class CrashPlan {
  /** Writes that landed since the plan was armed. */
  writes: string[] = [];
  private crashAfter = Number.POSITIVE_INFINITY;
  private dead = false;

  constructor(private readonly endpoints: { dynamoEndpoint: string; sqsEndpoint: string }) {}

  /** Installs clients that crash right after the k-th write (Infinity: only count). */
  arm(k = Number.POSITIVE_INFINITY): void {
    this.writes = [];
    this.crashAfter = k;
    this.dead = false;
    const ddb = DynamoDBDocumentClient.from(localDynamoClient(this.endpoints.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
    const sqs = new SQSClient({ endpoint: this.endpoints.sqsEndpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    for (const client of [ddb, sqs] as { middlewareStack: DynamoDBDocumentClient['middlewareStack'] }[]) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (this.dead) throw new InjectedCrash(`the process is dead (it crashed after write ${this.crashAfter})`);
          const out = await next(args);
          const command = context.commandName ?? '';
          if (writeCommands.test(command)) {
            this.writes.push(command);
            if (this.writes.length === this.crashAfter) {
              this.dead = true;
              throw new InjectedCrash(`crashed after write ${this.crashAfter} (${command})`);
            }
          }
          return out;
        },
        { step: 'initialize', name: 'crashAfterWrite' },
      );
    }
    setClientsForTests({ ddb, sqs });
  }

  /** The restart: healthy clients again. */
  restart(): void {
    this.dead = false;
    this.crashAfter = Number.POSITIVE_INFINITY;
    resetClientsForTests();
  }

  get crashed(): boolean {
    return this.dead;
  }
}
