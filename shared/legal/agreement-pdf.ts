import { readFileSync } from 'node:fs';

import PDFDocument from 'pdfkit';

import { config } from '../config';
import { judicialConfirmationHow, type MediationCase, mediationCategoryNames } from './mediation';

/**
 * The 人民调解协议书 as a PDF (A4, Noto Sans CJK, the font subset embedded): what 人民调解法
 * 第二十九条 asks of it — the parties, the facts and the dispute, what each undertakes, how and by
 * when — then the signature lines and the committee. Nothing beyond the case: names and the
 * parties' roles only (no ID or phone numbers, no one else's data).
 */
const fontFamily = 'NotoSansCJKsc-Regular';
let fontBytes: Buffer | undefined;

function font(): Buffer {
  fontBytes ??= readFileSync(config().CJK_FONT_PATH);
  return fontBytes;
}

const chineseNumerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const dayText = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export function agreementPdf(c: MediationCase, signedOn: string): Promise<Buffer> {
  const a = c.agreement!;
  // `font: null`: no standard PDF font is loaded (pdfkit would read Helvetica's metrics from its
  // own folder, which a bundle does not have); every line is set in the CJK font.
  const doc = new PDFDocument({ size: 'A4', margins: { top: 64, bottom: 64, left: 64, right: 64 }, font: null as unknown as string, info: { Title: `人民调解协议书 ${c.caseNo}`, Author: config().MEDIATION_COMMITTEE } });
  doc.registerFont('cjk', font(), fontFamily);
  doc.font('cjk');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 128;
  const heading = (text: string) => doc.moveDown(0.6).fontSize(13).fillColor('#000').text(text, 64, undefined, { width }).moveDown(0.2);
  const body = (text: string, indent = 0) => doc.fontSize(11.5).fillColor('#111').text(text, 64 + indent, undefined, { width: width - indent, lineGap: 3 });

  doc.fontSize(20).text('人民调解协议书', { align: 'center', width });
  doc.moveDown(0.3).fontSize(10.5).fillColor('#444').text(`${config().MEDIATION_COMMITTEE}　调解案件编号 ${c.caseNo}`, { align: 'center', width });

  heading('当事人');
  for (const p of c.parties) body(`${p.role === 'applicant' ? '申请人' : '被申请人'}：${p.name}`, 12);

  heading(`纠纷类别：${mediationCategoryNames[c.category]}`);
  heading('纠纷的主要事实');
  body(a.facts, 12);
  heading('争议事项及各方责任');
  body(a.dispute, 12);

  heading('经本委员会调解，各方当事人自愿达成如下协议：');
  const nameOf = (partyId: string) => c.parties.find((p) => p.partyId === partyId)?.name ?? partyId;
  a.obligations.forEach((o, i) => body(`${chineseNumerals[i] ?? i + 1}、${nameOf(o.partyId)}${o.what}。履行方式：${o.how}；履行期限：${dayText(o.by)}前。`, 12));

  heading('协议的效力');
  const copies = chineseNumerals[c.parties.length] ?? String(c.parties.length + 1);
  body(`本协议自各方当事人签名或者按指印、人民调解员签名并加盖人民调解委员会印章之日起生效。本协议一式${copies}份，当事人各执一份，人民调解委员会留存一份。`, 12);
  body(judicialConfirmationHow, 12);

  doc.moveDown(1.2);
  body(`当事人（签名或按指印）：${c.parties.map((p) => `${p.name}＿＿＿＿＿＿`).join('　')}`);
  doc.moveDown(0.6);
  body(`人民调解员（签名）：${c.mediators.map((m) => `${m.name}＿＿＿＿＿＿`).join('　')}`);
  doc.moveDown(0.6);
  body(`${config().MEDIATION_COMMITTEE}（印章）`);
  body(dayText(signedOn));
  doc.end();
  return done;
}
