import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { demoRoster, demoUsers } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { backfillHardshipMarkers } from '../../shared/households/import';
import { applyForAid } from '../../shared/legal/aid-applications';
import { decideAid } from '../../shared/legal/aid-decisions';
import { legalFigures } from '../../shared/legal/figures';
import { draftAgreement } from '../../shared/legal/mediation-agreement';
import { applyForMediation } from '../../shared/legal/mediation-application';
import { confirmAgreement, consentToMediation, decideMediation, runMediationDeadlines } from '../../shared/legal/mediation-cases';
import { lookupHash } from '../../shared/pii/crypto';
import { beijingMonth } from '../../shared/time';
import { tokenAs } from '../fixtures/principals';
import { notificationsOf } from '../fixtures/requests';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

/**
 * The legal centre's case files (#19 items 2–4) on the real local stack: legal-aid applications
 * (hardship from the roster, the 7-working-day deadline, decide, close), mediation cases (consent,
 * acceptance, sessions, the agreement printed to a PDF and confirmed by every party, failure,
 * follow-up, the daily deadlines), the figures, and who may read what (every read audited).
 */
const t = useTestStack({ workers: true });
const resident = (id: string) => ({ userId: id, roles: ['resident' as const] });
const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
const phoneOf = (userId: string) => demoUsers().find((u) => u.userId === userId)!.phone!;
/** The demo roster's first household: its head is tagged 低保户 (a red household). */
const rosterRow = demoRoster(2).split('\n')[1]!.split(',');
const hardshipId = rosterRow[8]!;
const ordinaryId = '110101199003074514';
const aidBody = (over: Record<string, unknown> = {}) => ({
  matter: 'wages',
  idNumber: ordinaryId,
  situation: '我在县城工地做了四个月钢筋工，包工头一直拖欠工资两万三千元，多次讨要无果，家里还有老人要养。',
  claim: '请求帮助追回被拖欠的工资',
  opposingParty: '某建筑劳务公司',
  ...over,
});
const mediationBody = (respondentPhone?: string) => ({
  category: 'neighbour',
  facts: '楼上住户家里卫生间漏水，把我家厨房的吊顶泡坏了，找他们几次都不肯修也不肯赔。',
  claim: '请对方修好漏水的地方并赔偿吊顶损失',
  respondents: [{ name: '王建国', ...(respondentPhone ? { phone: respondentPhone } : {}) }],
});
let tk: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoData();
  tk = {
    r1: await tokenAs('resident', 'resident-1'),
    r2: await tokenAs('resident', 'resident-2'),
    r3: await tokenAs('resident', 'resident-3'),
    officer: await tokenAs('legal_officer'),
    street: await tokenAs('street_staff'),
    admin: await tokenAs('admin'),
    worker: await tokenAs('grid_worker'),
  };
});

async function auditsOf(targetType: string, targetId: string) {
  const out = await ddb().send(
    new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byLookup', KeyConditionExpression: 'lookupPk = :pk', ExpressionAttributeValues: { ':pk': keys.auditByTargetPartition(targetType, targetId) } }),
  );
  return (out.Items ?? []).map((i) => ({ actorId: i.actorId, action: i.action }));
}

describe('legal-aid applications (法律援助申请)', () => {
  it('a 低保 household member on the roster needs no hardship proof (免予核查); anyone else is told what to bring', async () => {
    const exempt = await t.call('POST', '/v1/legal/aid', { token: tk.r1, body: aidBody({ idNumber: hardshipId }) });
    expect(exempt.status, JSON.stringify(exempt.body)).toBe(201);
    expect(exempt.body.hardship).toEqual({ basis: 'roster', text: '免予核查（花名册登记为低保户）' });
    expect(exempt.body).toMatchObject({ status: 'submitted', statusName: '待审查', matterName: '追索劳动报酬（欠薪）', idMasked: `${hardshipId.slice(0, 4)}**********${hardshipId.slice(-4)}`, photoCount: 0, lawyer: null });
    const other = await t.call('POST', '/v1/legal/aid', { token: tk.r2, body: aidBody() });
    expect(other.body.hardship).toEqual({ basis: 'to_check', text: '需核查经济困难状况（请提供收入证明或村居委会出具的证明）' });
  });

  it('households imported before the markers existed get them from the backfill (npm run backfill-hardship)', async () => {
    await ddb().send(new DeleteCommand({ TableName: config().TABLE_NAME, Key: keys.hardshipPerson(await lookupHash('id', hardshipId)) }));
    const before = await applyForAid(resident('resident-4'), aidBody({ idNumber: hardshipId, photos: [] }) as never);
    expect(before.hardship.basis).toBe('to_check');
    // The demo roster's 26 red households (of 256): each head is tagged 低保户.
    expect(await backfillHardshipMarkers()).toEqual({ grids: 128, markers: 26 });
    const after = await applyForAid(resident('resident-4'), aidBody({ idNumber: hardshipId, photos: [] }) as never);
    expect(after.hardship).toEqual({ basis: 'roster', text: '免予核查（花名册登记为低保户）' });
  });

  it('bad input is named field by field in Chinese, and nothing is kept', async () => {
    const before = await t.call('GET', '/v1/me/legal-aid', { token: tk.r3 });
    const bad = await t.call('POST', '/v1/legal/aid', { token: tk.r3, body: { matter: 'x', idNumber: '110101199003074515', situation: '太短', claim: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message])).toEqual([
      ['body.matter', '请选择申请援助的事项'],
      ['body.idNumber', '身份证号码不正确（18 位，最后一位可能是 X）'],
      ['body.situation', '请说明事情经过和您的困难（至少 20 个字）'],
      ['body.claim', '请写明您希望得到什么（至少 5 个字）'],
    ]);
    // An application may name only a consultation of the applicant's that the lawyer referred to legal aid.
    const notReferred = await t.call('POST', '/v1/legal/aid', { token: tk.r3, body: aidBody({ fromSlotId: '01KC0000000000000000000000' }) });
    expect([notReferred.status, notReferred.body.error.details]).toEqual([400, [{ field: 'body.fromSlotId', reason: 'not_referred', message: '这次咨询没有转法律援助申请' }]]);
    const after = await t.call('GET', '/v1/me/legal-aid', { token: tk.r3 });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('the decision is due on the 7th working day after receipt, holidays skipped (fixed clock)', async () => {
    // Tuesday 29 September 2026, 10:00 Beijing: National Day (1–7 October) is skipped, Saturday 10 October is a working day.
    const a = await applyForAid(resident('resident-4'), aidBody({ photos: [] }) as never, undefined, new Date('2026-09-29T02:00:00Z'));
    expect([a.decideBy, a.decideByText]).toEqual(['2026-10-14', '10月14日（周三）前作出决定']);
    // Past the holiday table (it ends with 2026): by weekends only, and said so.
    const b = await applyForAid(resident('resident-4'), aidBody({ photos: [] }) as never, undefined, new Date('2026-12-28T02:00:00Z'));
    expect([b.decideBy, b.decideByText]).toEqual(['2027-01-06', '1月6日（周三）前作出决定（2027 年节假日未定，按周末推算）']);
    // Decided on Monday 12 October: 4 working days (30 Sep, 8, 9, 10 Oct) — 12 Oct is the fifth.
    const decided = await decideAid(officer, a.applicationId, { decision: 'accept', lawyerName: '陈律师', lawFirm: '新城法律援助工作站' }, new Date('2026-10-12T03:00:00Z'));
    expect(decided.workingDaysToDecide).toBe(5);
  });

  it('the applicant and the centre read it (audited); other residents, grid workers, sub-district staff and admin do not', async () => {
    const created = await t.call('POST', '/v1/legal/aid', { token: tk.r2, body: aidBody({ matter: 'work_injury' }) });
    const id = created.body.applicationId;
    expect((await t.call('GET', `/v1/legal/aid/${id}`, { token: tk.r2 })).status).toBe(200);
    const byOfficer = await t.call('GET', `/v1/legal/aid/${id}`, { token: tk.officer });
    expect([byOfficer.status, byOfficer.body.name, byOfficer.body.matterName]).toEqual([200, expect.any(String), '工伤赔偿']);
    expect((await t.call('GET', `/v1/legal/aid/${id}`, { token: tk.r1 })).status).toBe(404);
    for (const token of [tk.worker, tk.street, tk.admin]) expect((await t.call('GET', `/v1/legal/aid/${id}`, { token })).status).toBe(403);
    expect(await auditsOf('legal_aid', id)).toEqual(expect.arrayContaining([{ actorId: 'resident-2', action: 'legal_aid.read' }, { actorId: 'legal-1', action: 'legal_aid.read' }]));
    expect((await auditsOf('legal_aid', id)).length).toBe(2);
  });

  it('decide: aid with the assigned lawyer, or refused with the reason and where to object; told by notice; once only', async () => {
    const month = beijingMonth(new Date());
    const before = await legalFigures(month);
    const a = (await t.call('POST', '/v1/legal/aid', { token: tk.r3, body: aidBody({ idNumber: hardshipId }) })).body;
    const b = (await t.call('POST', '/v1/legal/aid', { token: tk.r3, body: aidBody({ matter: 'family_support' }) })).body;
    const toDecide = await t.call('GET', '/v1/legal/aid?status=submitted&limit=100', { token: tk.officer });
    const ids = toDecide.body.items.map((x: { applicationId: string }) => x.applicationId);
    expect(ids).toEqual(expect.arrayContaining([a.applicationId, b.applicationId]));
    const deadlines = toDecide.body.items.map((x: { decideBy: string }) => x.decideBy);
    expect(deadlines).toEqual([...deadlines].sort());

    const missing = await t.call('POST', `/v1/legal/aid/${a.applicationId}/decision`, { token: tk.officer, body: { decision: 'accept', lawyerName: '陈' } });
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.lawyerName', 'body.lawFirm']);
    const accepted = await t.call('POST', `/v1/legal/aid/${a.applicationId}/decision`, { token: tk.officer, body: { decision: 'accept', lawyerName: '陈明', lawFirm: '新城法律援助工作站', lawyerPhone: '0851-86800123' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', statusName: '已给予法律援助', lawyer: { name: '陈明', firm: '新城法律援助工作站', phone: '0851-86800123' }, workingDaysToDecide: 0, objectionHow: null });
    const again = await t.call('POST', `/v1/legal/aid/${a.applicationId}/decision`, { token: tk.officer, body: { decision: 'refuse', reason: '经审查不符合法律援助条件' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'LEGAL_AID_DECIDED']);
    const refused = await t.call('POST', `/v1/legal/aid/${b.applicationId}/decision`, { token: tk.officer, body: { decision: 'refuse', reason: '申请事项不属于法律援助范围，建议通过人民调解解决' } });
    expect(refused.body).toMatchObject({ status: 'refused', refusalReason: '申请事项不属于法律援助范围，建议通过人民调解解决', objectionHow: expect.stringContaining('司法行政部门') });

    await waitFor(async () => (await notificationsOf('resident-3')).filter((n) => n.template === 'legal_case').length >= 2 || undefined, 20_000, 'decision notices');
    const notices = (await notificationsOf('resident-3')).filter((n) => n.template === 'legal_case');
    expect(notices.map((n) => n.data.status)).toEqual(expect.arrayContaining(['已给予法律援助，援助律师：新城法律援助工作站 陈明', '不予法律援助，请查看理由和异议途径']));
    expect(notices.find((n) => n.notificationId === `legal-aid-${a.applicationId}-decided`)?.page).toBe(`pages/legal/aid/index?id=${a.applicationId}`);

    const closedEarly = await t.call('POST', `/v1/legal/aid/${b.applicationId}/closure`, { token: tk.officer, body: { result: 'supported', note: '法院判决支持' } });
    expect([closedEarly.status, closedEarly.body.error.code]).toEqual([409, 'LEGAL_AID_NOT_OPEN']);
    // Each in the list of its status, and only there.
    const listed = async (status: string) => (await t.call('GET', `/v1/legal/aid?status=${status}&limit=100`, { token: tk.officer })).body.items.map((x: { applicationId: string }) => x.applicationId);
    expect([(await listed('submitted')).includes(a.applicationId), (await listed('accepted')).includes(a.applicationId), (await listed('refused')).includes(b.applicationId)]).toEqual([false, true, true]);
    const closed = await t.call('POST', `/v1/legal/aid/${a.applicationId}/closure`, { token: tk.officer, body: { result: 'mediated', note: '经仲裁调解，公司一次性支付工资两万三千元' } });
    expect(closed.body).toMatchObject({ status: 'closed', resultName: '调解结案' });

    const after = await legalFigures(month);
    expect({
      received: after.aid.received - before.aid.received,
      hardshipExempt: after.aid.hardshipExempt - before.aid.hardshipExempt,
      accepted: after.aid.accepted - before.aid.accepted,
      refused: after.aid.refused - before.aid.refused,
      closed: after.aid.closed - before.aid.closed,
    }).toEqual({ received: 2, hardshipExempt: 1, accepted: 1, refused: 1, closed: 1 });
    const mine = await t.call('GET', '/v1/me/legal-aid', { token: tk.r3 });
    expect(mine.body.items.slice(0, 2).map((x: { status: string }) => x.status)).toEqual(['refused', 'closed']);
  });

  it('a phone that resends (same Idempotency-Key) makes one application, and one mediation case', async () => {
    const r6 = await tokenAs('resident', 'resident-6');
    const before = (await t.call('GET', '/v1/me/legal-aid', { token: r6 })).body.items.length;
    const [a, b] = await Promise.all([1, 2].map(() => t.call('POST', '/v1/legal/aid', { token: r6, body: aidBody(), headers: { 'idempotency-key': 'aid-resend-0001' } })));
    expect([a!.status, b!.status]).toEqual([201, 201]);
    expect(a!.body.applicationId).toBe(b!.body.applicationId);
    expect((await t.call('GET', '/v1/me/legal-aid', { token: r6 })).body.items.length).toBe(before + 1);
    const first = await t.call('POST', '/v1/legal/mediations', { token: r6, body: mediationBody(), headers: { 'idempotency-key': 'mediation-resend-0001' } });
    const again = await t.call('POST', '/v1/legal/mediations', { token: r6, body: mediationBody(), headers: { 'idempotency-key': 'mediation-resend-0001' } });
    expect(again.body.caseId).toBe(first.body.caseId);
    expect((await t.call('GET', '/v1/me/mediations', { token: r6 })).body.items.filter((c: { caseId: string }) => c.caseId === first.body.caseId)).toHaveLength(1);
  });

  it('documents come through the upload flow; the applicant\'s own uploads only', async () => {
    const presign = await t.call('POST', '/v1/uploads', { token: tk.r2, body: { contentType: 'image/jpeg' } });
    const form = new FormData();
    for (const [k, v] of Object.entries(presign.body.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' }), 'proof.jpg');
    expect((await fetch(presign.body.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    const notMine = await t.call('POST', '/v1/legal/aid', { token: tk.r1, body: aidBody({ photos: [presign.body.key] }) });
    expect([notMine.status, notMine.body.error.details[0].message]).toEqual([400, '只能使用您自己上传的照片']);
    const created = await t.call('POST', '/v1/legal/aid', { token: tk.r2, body: aidBody({ photos: [presign.body.key] }) });
    expect(created.body.photoCount).toBe(1);
    const read = await t.call('GET', `/v1/legal/aid/${created.body.applicationId}`, { token: tk.officer });
    expect((await fetch(read.body.photoUrls[0])).status).toBe(200);
  });
});

describe('mediation case files (人民调解)', () => {
  it('runs from application to a settled agreement: consent, acceptance, a session, the PDF, every party confirms, follow-up', async () => {
    const month = beijingMonth(new Date());
    const before = await legalFigures(month);
    // The respondent uses the app: found by the phone number the applicant gives.
    const applied = await t.call('POST', '/v1/legal/mediations', { token: tk.r1, body: mediationBody(phoneOf('resident-5')) });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const id = applied.body.caseId;
    expect(applied.body.parties.map((p: { partyId: string; roleName: string; usesApp: boolean; consented: boolean }) => [p.partyId, p.roleName, p.usesApp, p.consented])).toEqual([
      ['A1', '申请人', true, true],
      ['B1', '被申请人', true, false],
    ]);
    const r5 = await tokenAs('resident', 'resident-5');
    const asked = await t.call('GET', '/v1/me/mediations', { token: r5 });
    expect(asked.body.items[0]).toMatchObject({ caseId: id, status: 'applied', action: 'consent', actionName: '请确认是否同意调解', parties: expect.stringContaining('（申请人）、王建国') });

    const early = await t.call('POST', `/v1/legal/mediations/${id}/decision`, { token: tk.officer, body: { accept: true, mediators: [{ name: '李调解' }] } });
    expect([early.status, early.body.error.code, early.body.error.message]).toEqual([409, 'CONSENT_MISSING', '王建国尚未同意调解，不能受理（人民调解法第十七条）']);
    const consent = await t.call('POST', `/v1/legal/mediations/${id}/consent`, { token: r5, body: {} });
    expect(consent.body.parties[1]).toMatchObject({ consented: true, consentText: '已在小程序同意调解', isMe: true });
    const notStaff = await t.call('POST', `/v1/legal/mediations/${id}/decision`, { token: tk.officer, body: { accept: true, mediators: [{ name: '李调解' }, { name: '王居民', userId: 'resident-2' }] } });
    expect(notStaff.body.error.details).toEqual([{ field: 'body.mediators.1.userId', reason: 'not_staff', message: '调解员账号应为社区、街道或法律服务中心的工作人员' }]);
    const accepted = await t.call('POST', `/v1/legal/mediations/${id}/decision`, { token: tk.officer, body: { accept: true, mediators: [{ name: '李调解' }, { name: '社区张主任', userId: 'cs-C01' }] } });
    expect(accepted.body).toMatchObject({ status: 'accepted', statusName: '调解中', mediators: ['李调解', '社区张主任'] });
    expect(Date.parse(accepted.body.dueBy) - Date.parse(accepted.body.acceptedAt)).toBe(30 * 86_400_000);

    const session = await t.call('POST', `/v1/legal/mediations/${id}/sessions`, {
      token: tk.officer,
      body: { at: new Date().toISOString(), place: '社区人民调解室', attendees: '双方当事人、李调解', record: '双方陈述了漏水经过，王建国同意请人维修防水层，对赔偿金额有分歧，经调解同意赔偿八百元。' },
    });
    expect(session.body.sessions).toHaveLength(1);

    const agreementBody = {
      facts: '被申请人王建国家卫生间防水层破损漏水，致申请人厨房吊顶损坏，双方多次协商未果。',
      dispute: '漏水的维修和吊顶损失的赔偿；漏水系被申请人家防水层破损所致，由被申请人负责。',
      obligations: [
        { partyId: 'B1', what: '请专业人员维修卫生间防水层', how: '自行联系维修并承担费用', by: '2099-12-31' },
        { partyId: 'B1', what: '赔偿申请人吊顶损失人民币捌佰元（800 元）', how: '现金或微信转账一次付清', by: '2099-12-31' },
      ],
    };
    const drafted = await t.call('POST', `/v1/legal/mediations/${id}/agreement`, { token: tk.officer, body: agreementBody });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    expect(drafted.body).toMatchObject({ status: 'agreed', agreement: { draft: 1, obligations: [{ partyName: '王建国' }, { partyName: '王建国' }] } });

    // The PDF: private, a 5-minute link in a party's read; its text is the case and nothing more.
    const read = await t.call('GET', `/v1/legal/mediations/${id}`, { token: tk.r1 });
    expect(read.body.canConfirm).toBe(true);
    expect(Date.parse(read.body.agreement.pdfUrlExpiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const pdf = Buffer.from(await (await fetch(read.body.agreement.pdfUrl)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'agreement-'));
    writeFileSync(join(dir, 'a.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    const applicantName = read.body.parties[0].name as string;
    for (const expected of ['人民调解协议书', '新城街道人民调解委员会', `申请人：${applicantName}`, '被申请人：王建国', '纠纷类别：邻里纠纷', '防水层破损漏水', '一、王建国请专业人员维修卫生间防水层', '二、王建国赔偿申请人吊顶损失人民币捌佰元', '履行期限：2099年12月31日前', '本协议一式三份', '司法确认', '李调解', '社区张主任']) {
      expect(text.replace(/\s+/g, ''), expected).toContain(expected.replace(/\s+/g, ''));
    }
    // Nothing beyond the case: no phone or ID numbers.
    expect(text).not.toMatch(/1\d{10}|\d{17}[\dX]|\*{4}/);
    execFileSync('pdftoppm', ['-png', '-r', '96', '-f', '1', '-l', '1', join(dir, 'a.pdf'), join(dir, 'page')]);
    expect(statSync(join(dir, 'page-1.png')).size).toBeGreaterThan(10_000);
    if (process.env.AGREEMENT_PREVIEW) writeFileSync(process.env.AGREEMENT_PREVIEW, readFileSync(join(dir, 'page-1.png')));

    const first = await t.call('POST', `/v1/legal/mediations/${id}/agreement/confirm`, { token: tk.r1, body: {} });
    expect([first.body.status, first.body.parties[0].confirmed, first.body.parties[1].confirmed]).toEqual(['agreed', true, false]);
    const twice = await t.call('POST', `/v1/legal/mediations/${id}/agreement/confirm`, { token: tk.r1, body: {} });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_CONFIRMED']);
    const settled = await t.call('POST', `/v1/legal/mediations/${id}/agreement/confirm`, { token: r5, body: {} });
    expect(settled.body).toMatchObject({ status: 'settled', statusName: '调解成功', judicialConfirmation: expect.stringContaining('30 日内共同向人民法院申请司法确认') });

    const follow = await t.call('POST', `/v1/legal/mediations/${id}/follow-ups`, { token: tk.officer, body: { performed: 'performed', note: '回访双方，维修完成，赔偿款已付清' } });
    expect(follow.body.followUps).toEqual([{ at: expect.any(String), performed: 'performed', performedName: '已履行', note: '回访双方，维修完成，赔偿款已付清' }]);

    const after = await legalFigures(month);
    const d = (k: keyof typeof after.mediation) => Number(after.mediation[k]) - Number(before.mediation[k]);
    expect([d('applied'), d('accepted'), d('settled'), d('followedUp'), d('performed')]).toEqual([1, 1, 1, 1, 1]);
    expect(after.mediation.successRate).not.toBeNull();

    await waitFor(async () => (await notificationsOf('resident-5')).some((n) => n.notificationId === `mediation-${id}-settled-B1`) || undefined, 20_000, 'settled notice');
  });

  it('who reads a case: its parties, a mediator with an account and the centre; no one else (audited)', async () => {
    const c = await applyForMediation(resident('resident-6'), mediationBody() as never);
    await consentToMediation(officer, c.caseId, 'B1');
    await decideMediation(officer, c.caseId, { accept: true, mediators: [{ name: '社区张主任', userId: 'cs-C01' }] });
    const path = `/v1/legal/mediations/${c.caseId}`;
    expect((await t.call('GET', path, { token: await tokenAs('resident', 'resident-6') })).status).toBe(200);
    expect((await t.call('GET', path, { token: await tokenAs('community_staff', 'cs-C01') })).status).toBe(200);
    expect((await t.call('GET', path, { token: tk.officer })).status).toBe(200);
    for (const token of [tk.r1, tk.worker, tk.street, tk.admin]) expect((await t.call('GET', path, { token })).status).toBe(404);
    expect((await auditsOf('mediation', c.caseId)).map((a) => a.actorId).sort()).toEqual(['cs-C01', 'legal-1', 'resident-6']);
    // A consent recorded by an officer says so; a resident cannot record for someone else.
    const read = await t.call('GET', path, { token: tk.officer });
    expect(read.body.parties[1].consentText).toBe('已向调解员表示同意调解');
    const forOther = await t.call('POST', `${path}/consent`, { token: await tokenAs('resident', 'resident-6'), body: { partyId: 'B1' } });
    expect([forOther.status, forOther.body.error.message]).toEqual([403, '只有法律服务中心的工作人员可以代为记录']);
    expect((await t.call('POST', `${path}/consent`, { token: tk.r1, body: {} })).status).toBe(404);
  });

  it('two people at once: both parties confirming the same moment settle the case; two officers deciding the same application get one decision', async () => {
    const [r10, officerToken] = [await tokenAs('resident', 'resident-10'), tk.officer];
    const c = (await t.call('POST', '/v1/legal/mediations', { token: r10, body: mediationBody(phoneOf('resident-12')) })).body;
    await consentToMediation(officer, c.caseId, 'B1');
    await decideMediation(officer, c.caseId, { accept: true, mediators: [{ name: '李调解' }] });
    await draftAgreement(officer, c.caseId, { facts: '楼上漏水致楼下吊顶损坏，双方多次协商未果。', dispute: '维修和赔偿，由楼上住户负责。', obligations: [{ partyId: 'B1', what: '赔偿八百元', how: '转账', by: '2099-12-31' }] });
    const r12 = await tokenAs('resident', 'resident-12');
    const both = await Promise.all([r10, r12].map((token) => t.call('POST', `/v1/legal/mediations/${c.caseId}/agreement/confirm`, { token, body: {} })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect((await t.call('GET', `/v1/legal/mediations/${c.caseId}`, { token: officerToken })).body.status).toBe('settled');

    const a = (await t.call('POST', '/v1/legal/aid', { token: r10, body: aidBody() })).body;
    const decisions = await Promise.all([
      t.call('POST', `/v1/legal/aid/${a.applicationId}/decision`, { token: officerToken, body: { decision: 'accept', lawyerName: '陈明', lawFirm: '新城法律援助工作站' } }),
      t.call('POST', `/v1/legal/aid/${a.applicationId}/decision`, { token: await tokenAs('legal_officer', 'legal-2'), body: { decision: 'refuse', reason: '经审查不符合法律援助的经济困难标准' } }),
    ]);
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
    expect(decisions.find((d) => d.status === 409)!.body.error.code).toBe('LEGAL_AID_DECIDED');
  });

  it('a failed mediation records why and where the parties were referred', async () => {
    const c = await applyForMediation(resident('resident-7'), mediationBody() as never);
    await consentToMediation(officer, c.caseId, 'B1');
    await decideMediation(officer, c.caseId, { accept: true, mediators: [{ name: '李调解' }] });
    const failed = await t.call('POST', `/v1/legal/mediations/${c.caseId}/failure`, { token: tk.officer, body: { reason: '被申请人拒不到场，经三次通知无果', referredTo: '已告知申请人可以向人民法院提起诉讼' } });
    expect(failed.body).toMatchObject({ status: 'failed', failure: { referredTo: '已告知申请人可以向人民法院提起诉讼' } });
    const late = await t.call('POST', `/v1/legal/mediations/${c.caseId}/sessions`, { token: tk.officer, body: { at: new Date().toISOString(), place: '调解室', attendees: '申请人', record: '申请人到场要求继续调解，被申请人仍未到场，本次未能进行调解。' } });
    expect([late.status, late.body.error.code]).toEqual([409, 'MEDIATION_NOT_OPEN']);
  });

  it('the daily run escalates a case past its 30 days once, and reminds the parties of 司法确认 20 days after the agreement (fixed clock)', async () => {
    // Accepted on 1 March 2027, 10:00 Beijing: due 31 March 10:00.
    const t1 = new Date('2027-03-01T02:00:00Z');
    const late = await applyForMediation(resident('resident-8'), mediationBody() as never, undefined, t1);
    await consentToMediation(officer, late.caseId, 'B1', t1);
    await decideMediation(officer, late.caseId, { accept: true, mediators: [{ name: '社区张主任', userId: 'cs-C01' }] }, t1);
    const settled = await applyForMediation(resident('resident-9'), mediationBody() as never, undefined, t1);
    await consentToMediation(officer, settled.caseId, 'B1', t1);
    await decideMediation(officer, settled.caseId, { accept: true, mediators: [{ name: '李调解' }] }, t1);
    await draftAgreement(officer, settled.caseId, { facts: '楼上漏水致楼下吊顶损坏，双方多次协商未果。', dispute: '维修和赔偿，由楼上住户负责。', obligations: [{ partyId: 'B1', what: '赔偿八百元', how: '转账', by: '2027-03-20' }] }, t1);
    await confirmAgreement(resident('resident-9'), settled.caseId, undefined, t1);
    await confirmAgreement(officer, settled.caseId, 'B1', t1);

    const justBefore = await runMediationDeadlines(new Date('2027-03-21T01:59:59Z'));
    expect(justBefore.reminded).toBe(0);
    expect((await runMediationDeadlines(new Date('2027-03-21T02:00:00Z'))).reminded).toBe(1);
    expect((await runMediationDeadlines(new Date('2027-03-22T02:00:00Z'))).reminded).toBe(0);
    // 31 March, a second before and at 10:00 Beijing.
    const notYet = await runMediationDeadlines(new Date('2027-03-31T01:59:59Z'));
    expect(notYet.escalated).toBe(0);
    expect((await runMediationDeadlines(new Date('2027-03-31T02:00:01Z'))).escalated).toBe(1);
    expect((await runMediationDeadlines(new Date('2027-04-01T02:00:00Z'))).escalated).toBe(0);
    const read = await t.call('GET', `/v1/legal/mediations/${late.caseId}`, { token: tk.officer });
    // Escalated (at today's clock the case is not yet due: the run was given March's).
    expect(read.body).toMatchObject({ status: 'accepted', escalated: true });
    const open = await t.call('GET', '/v1/legal/mediations?status=accepted&limit=100', { token: tk.officer });
    expect(open.body.items.map((c: { caseId: string }) => c.caseId)).toContain(late.caseId);
    const settledList = await t.call('GET', '/v1/legal/mediations?status=settled&limit=100', { token: tk.officer });
    expect(settledList.body.items.map((c: { caseId: string }) => c.caseId)).toContain(settled.caseId);
    await waitFor(async () => (await notificationsOf('cs-C01')).some((n) => n.notificationId === `mediation-${late.caseId}-overdue-cs-C01`) || undefined, 20_000, 'escalation notice');
    // And the centre's officers, who supervise the mediators (once each, however many runs).
    await waitFor(async () => (await notificationsOf('legal-1')).some((n) => n.notificationId === `mediation-${late.caseId}-overdue-legal-1`) || undefined, 20_000, 'escalation to the centre');
    await waitFor(async () => (await notificationsOf('legal-2')).some((n) => n.notificationId === `mediation-${late.caseId}-overdue-legal-2`) || undefined, 20_000, 'escalation to the second officer');
    expect((await notificationsOf('legal-2')).filter((n) => n.notificationId === `mediation-${late.caseId}-overdue-legal-2`)).toHaveLength(1);
    await waitFor(async () => (await notificationsOf('resident-9')).find((n) => n.notificationId === `mediation-${settled.caseId}-judicial-reminder-A1`) || undefined, 20_000, 'reminder');
    const reminder = (await notificationsOf('resident-9')).find((n) => n.notificationId === `mediation-${settled.caseId}-judicial-reminder-A1`)!;
    expect(reminder.data.status).toBe('如需司法确认，请于3月31日前共同向人民法院申请');
  });
});
