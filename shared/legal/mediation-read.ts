import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { writeAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { s3 } from '../aws';
import { config } from '../config';
import { photoBucket } from '../resources';
import type { MediationView } from './mediation';
import { getCase, mayRead, mediationView, notFound } from './mediation-cases';

/** Reading a case file, apart: only this function signs links to the agreement's PDF. */
/** One case file, with a 5-minute link to its agreement; every read audited. Not theirs: 404. */
export async function readMediation(p: Principal, caseId: string, now = new Date()): Promise<MediationView> {
  const c = await getCase(caseId);
  if (!c || !mayRead(p, c)) throw notFound();
  await writeAudit({ actorId: p.userId, action: 'mediation.read', targetType: 'mediation', targetId: caseId, detail: { status: c.status } }, now);
  const view = mediationView(c, now, p.userId);
  if (!view.agreement || !c.agreement) return view;
  const pdfUrl = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: config().PHOTO_BUCKET, Key: c.agreement.pdfKey }), { expiresIn: photoBucket.agreementUrlSeconds });
  return { ...view, agreement: { ...view.agreement, pdfUrl, pdfUrlExpiresAt: new Date(now.getTime() + photoBucket.agreementUrlSeconds * 1000).toISOString() } };
}
