import { PutObjectCommand } from '@aws-sdk/client-s3';

import type { Principal } from '../auth/principal';
import { s3 } from '../aws';
import { config } from '../config';
import { ValidationError } from '../errors';
import { photoBucket } from '../resources';
import { beijingDate } from '../time';
import { agreementPdf } from './agreement-pdf';
import { commitCaseChange, onFreshRead } from './case-writes';
import type { AgreementInput, MediationCase, MediationView } from './mediation';
import { caseItems, caseOrFail, mediationView, mustBeMediating, partiesNotified } from './mediation-cases';

/** The agreement's drafting, apart: only this function carries the PDF library and the CJK font. */
/**
 * The agreement the parties reached: printed to a PDF (stored privately, a new file for each
 * draft), then every party confirms it. A new draft asks every party again.
 */
export async function draftAgreement(p: Principal, caseId: string, input: AgreementInput, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    mustBeMediating(c, '制作调解协议');
    const unknown = input.obligations.findIndex((o) => !c.parties.some((x) => x.partyId === o.partyId));
    if (unknown >= 0) throw new ValidationError([{ field: `body.obligations.${unknown}.partyId`, reason: 'unknown', message: '这件案件没有这位当事人' }]);
    const late = input.obligations.findIndex((o) => o.by < beijingDate(now));
    if (late >= 0) throw new ValidationError([{ field: `body.obligations.${late}.by`, reason: 'past', message: '履行期限不能早于今天' }]);
    const at = now.toISOString();
    const draft = (c.agreement?.draft ?? 0) + 1;
    const pdfKey = `${photoBucket.agreementPrefix}${caseId}/v${draft}.pdf`;
    const after: MediationCase = {
      ...c,
      status: 'agreed',
      agreement: { ...input, pdfKey, draft, generatedAt: at },
      parties: c.parties.map(({ confirmedAt: _at, confirmedBy: _by, ...x }) => x),
      version: c.version + 1,
    };
    const pdf = await agreementPdf(after, beijingDate(now));
    await s3().send(new PutObjectCommand({ Bucket: config().PHOTO_BUCKET, Key: pdfKey, Body: pdf, ContentType: 'application/pdf' }));
    await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, at, notices: partiesNotified(after, `agreement-v${draft}`, '调解协议已拟好，请查看并确认', at) });
    return mediationView(after, now, p.userId);
  });
}
