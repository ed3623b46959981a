import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

import { ddb } from '../aws';
import { config } from '../config';
import { keys } from '../db/keys';

/**
 * The legal centre's figures of a month (Beijing), one counter row written in the same
 * transactions as the changes they count: consultations, legal-aid applications and mediation
 * cases. Each is counted in the month it happened (an application received in November and
 * decided in December counts as received in November, decided in December).
 */
export const legalFiguresSchema = z.object({
  month: z.string(),
  booked: z.number(),
  cancelled: z.number(),
  held: z.number(),
  noShow: z.number(),
  toLegalAid: z.number(),
  toMediation: z.number(),
  aid: z.object({
    received: z.number(),
    hardshipExempt: z.number().meta({ description: 'Received with hardship proved by the roster (免予核查)' }),
    accepted: z.number(),
    refused: z.number(),
    averageDecisionDays: z.number().nullable().meta({ description: 'Working days from receipt to decision, over the month\'s decisions (one decimal)' }),
    decidedLate: z.number().meta({ description: 'Decisions after the 7 working days' }),
    closed: z.number(),
  }),
  mediation: z.object({
    applied: z.number(),
    accepted: z.number(),
    declined: z.number(),
    settled: z.number(),
    failed: z.number(),
    successRate: z.number().nullable().meta({ description: '调解成功率: settled ÷ (settled + failed) of the month, in percent (one decimal); null with no outcome' }),
    escalated: z.number(),
    followedUp: z.number(),
    performed: z.number().meta({ description: 'Agreements a follow-up found performed' }),
  }),
});
export type LegalFigures = z.infer<typeof legalFiguresSchema>;

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

export async function legalFigures(month: string): Promise<LegalFigures> {
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.stats('LEGAL', month, 'ALL', 'all') }));
  const row = (out.Item ?? {}) as Record<string, number | undefined>;
  const n = (k: string) => Number(row[k] ?? 0);
  const decided = n('aidAccepted') + n('aidRefused');
  const outcomes = n('medSettled') + n('medFailed');
  return {
    month,
    booked: n('booked'),
    cancelled: n('cancelled'),
    held: n('held'),
    noShow: n('noShow'),
    toLegalAid: n('toLegalAid'),
    toMediation: n('toMediation'),
    aid: {
      received: n('aidReceived'),
      hardshipExempt: n('aidHardshipExempt'),
      accepted: n('aidAccepted'),
      refused: n('aidRefused'),
      averageDecisionDays: decided ? oneDecimal(n('aidDecisionDays') / decided) : null,
      decidedLate: n('aidDecidedLate'),
      closed: n('aidClosed'),
    },
    mediation: {
      applied: n('medApplied'),
      accepted: n('medAccepted'),
      declined: n('medDeclined'),
      settled: n('medSettled'),
      failed: n('medFailed'),
      successRate: outcomes ? oneDecimal((100 * n('medSettled')) / outcomes) : null,
      escalated: n('medEscalated'),
      followedUp: n('medFollowedUp'),
      performed: n('medPerformed'),
    },
  };
}
