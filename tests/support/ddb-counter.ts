import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DdbCall {
  command: string;
  capacity: number;
}

/**
 * Counts the DynamoDB round trips a piece of code makes, and what they consume: added as SDK
 * middleware on the real client (asks for ReturnConsumedCapacity on every call).
 */
export function countDynamoCalls(client: DynamoDBDocumentClient): { calls: DdbCall[]; reset(): void; detach(): void } {
  const calls: DdbCall[] = [];
  const name = 'countDynamoCalls';
  client.middlewareStack.remove(name);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const out = await next(args);
      const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const capacity = Array.isArray(cc) ? cc.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0) : (cc?.CapacityUnits ?? 0);
      calls.push({ command: context.commandName ?? 'unknown', capacity });
      return out;
    },
    { step: 'initialize', name },
  );
  return { calls, reset: () => calls.splice(0), detach: () => client.middlewareStack.remove(name) };
}
