import type { Role } from '../../shared/auth/roles';
import type { AidDecision, AidInput } from '../../shared/legal/aid';
import type { AgreementInput, MediationInput } from '../../shared/legal/mediation';
import { addDays, atBeijing, beijingDate, dayMs, hourMs, nextBeijingClockAfter } from '../../shared/time';

/**
 * Demo data for the local stack and the tests: one place for the fixtures. Deterministic, so
 * that a test can name "grid G001's full-time worker" and a screenshot shows the same people.
 */
const communityNames = ['幸福社区', '和谐社区', '希望社区', '振兴社区', '安居社区', '乐业社区', '同心社区', '新风社区'];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '罗'];
const givenNames = ['秀英', '桂兰', '建国', '志强', '海燕', '小红', '明亮', '春梅', '德华', '金凤', '永福', '玉兰', '国庆', '丽娟', '文军', '晓燕'];

export interface DemoCommunity {
  id: string;
  name: string;
}
export interface DemoGrid {
  id: string;
  name: string;
  communityId: string;
  workers: { userId: string; workerType: 'full_time' | 'part_time' }[];
}
export interface DemoUser {
  userId: string;
  openid: string;
  name: string;
  roles: Role[];
  streetId?: string;
  communityId?: string;
  gridId?: string;
  workerType?: 'full_time' | 'part_time';
  teamId?: string;
  workshopId?: string;
  /** Plain only here, in the fixture; stored sealed. */
  phone?: string;
}

export function personName(i: number): string {
  return `${surnames[i % surnames.length]}${givenNames[Math.floor(i / surnames.length) % givenNames.length]}`;
}

export const gridCount = 128;

export function demoOrganisation() {
  const street = { id: 'S01', name: '新城街道' };
  const communities: DemoCommunity[] = communityNames.map((name, i) => ({ id: `C${String(i + 1).padStart(2, '0')}`, name }));
  const perCommunity = gridCount / communities.length;
  const grids: DemoGrid[] = Array.from({ length: gridCount }, (_, i) => {
    const id = `G${String(i + 1).padStart(3, '0')}`;
    const community = communities[Math.floor(i / perCommunity)]!;
    return {
      id,
      name: `${community.name}第${(i % perCommunity) + 1}网格`,
      communityId: community.id,
      workers: [
        { userId: `gw-${id}-ft`, workerType: 'full_time' },
        { userId: `gw-${id}-pt`, workerType: 'part_time' },
      ],
    };
  });
  return { street, communities, grids };
}

/** The dev login code of a demo user is `dev:<openid>`. */
export function demoUsers(org = demoOrganisation()): DemoUser[] {
  const users: DemoUser[] = [];
  let n = 0;
  for (const g of org.grids) {
    for (const w of g.workers) {
      users.push({
        userId: w.userId,
        openid: `dev-${w.userId}`,
        name: personName(n++),
        roles: ['grid_worker'],
        gridId: g.id,
        communityId: g.communityId,
        streetId: org.street.id,
        workerType: w.workerType,
      });
    }
  }
  for (const c of org.communities) {
    users.push({ userId: `cs-${c.id}`, openid: `dev-cs-${c.id}`, name: personName(n++), roles: ['community_staff'], communityId: c.id, streetId: org.street.id });
  }
  users.push(
    { userId: 'street-1', openid: 'dev-street-1', name: personName(n++), roles: ['street_staff'], streetId: org.street.id },
    { userId: 'legal-1', openid: 'dev-legal-1', name: personName(n++), roles: ['legal_officer'], streetId: org.street.id },
    { userId: 'legal-2', openid: 'dev-legal-2', name: personName(n++), roles: ['legal_officer'], streetId: org.street.id },
    { userId: 'lead-T01', openid: 'dev-lead-T01', name: personName(n++), roles: ['volunteer_lead', 'volunteer'], teamId: 'T01' },
    { userId: 'employer-W01', openid: 'dev-employer-W01', name: personName(n++), roles: ['employer'], workshopId: 'W01' },
    { userId: 'admin-1', openid: 'dev-admin-1', name: personName(n++), roles: ['admin'] },
    { userId: 'volunteer-1', openid: 'dev-volunteer-1', name: personName(n++), roles: ['volunteer', 'resident'] },
  );
  for (let i = 1; i <= 20; i++) {
    users.push({ userId: `resident-${i}`, openid: `dev-resident-${i}`, name: personName(n++), roles: ['resident'], gridId: org.grids[(i - 1) % gridCount]!.id });
  }
  // Every demo user gets a distinct, well-formed (fictional) mobile number.
  return users.map((u, i) => ({ ...u, phone: `139${String(10_000_000 + i * 7919).slice(-8)}` }));
}

/** Every personal number the demo data contains: the log-leak check looks for each of them. */
export function demoPersonalNumbers(): string[] {
  const roster = demoRoster(gridCount * 2)
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .flatMap((line) => line.split(',').slice(8, 10))
    .filter(Boolean);
  return [...demoUsers().flatMap((u) => (u.phone ? [u.phone] : [])), ...roster];
}

const workshopNames = [
  '服装加工', '电子元件组装', '藤编工艺', '苗绣刺绣', '鞋帽加工', '食品包装', '箱包缝制', '假发制作',
  '玩具组装', '竹编工艺', '中药材分拣', '茶叶加工', '毛绒玩具', '手套加工', '纸盒印刷', '电线加工',
  '蜡染工艺', '蔬菜分拣', '数据标注', '客服外呼', '眼镜配件', '五金配件', '塑料制品', '针织袜业',
  '家具组装', '灯饰组装', '饰品加工', '快递分拣',
];

export interface DemoEmployer {
  employerId: string;
  name: string;
  kind: 'workshop' | 'public_welfare' | 'transfer';
  address: string;
  distanceKm: number;
  contact: string;
  /** A work line (landline), not a person's mobile. */
  contactPhone: string;
  latitude: number;
  longitude: number;
}

/** The new town's buildings on the map (GCJ-02): the model town sits near 26.58 N, 106.71 E. */
export function buildingLocation(building: number): { latitude: number; longitude: number } {
  return { latitude: Number((26.5800 + (building % 8) * 0.0007).toFixed(6)), longitude: Number((106.7100 + Math.floor(building / 8) * 0.0009 + (building % 3) * 0.0004).toFixed(6)) };
}

/** 28 on-site workshops, the sub-district's public-welfare posts and one transfer partner. */
export function demoEmployers(): DemoEmployer[] {
  return [
    ...workshopNames.map((n, i) => ({
      employerId: `W${String(i + 1).padStart(2, '0')}`,
      name: `${n}扶贫车间`,
      kind: 'workshop' as const,
      address: `新城安置区${(i % 8) + 1}号楼一层`,
      distanceKm: 0.2 + (i % 8) * 0.1,
      contact: `车间负责人 ${personName(200 + i)}`,
      contactPhone: `0851-868${String(10_000 + i * 37).slice(-5)}`,
      ...buildingLocation((i % 8) + 1),
    })),
    { employerId: 'P01', name: '新城街道公益性岗位', kind: 'public_welfare', address: '新城街道便民服务中心', distanceKm: 0.8, contact: '街道就业服务站', contactPhone: '0851-86800100', latitude: 26.5762, longitude: 106.7071 },
    { employerId: 'T01', name: '东莞电子厂劳务协作点', kind: 'transfer', address: '广东省东莞市长安镇', distanceKm: 1100, contact: '劳务协作站 李老师', contactPhone: '0769-85300100', latitude: 22.8166, longitude: 113.8035 },
  ];
}

/** Two jobs per workshop and a handful of public-welfare and transfer posts, open for 60 days from `now`. */
export function demoJobs(now = new Date()) {
  const validThrough = new Date(now.getTime() + 60 * dayMs).toISOString();
  const jobs = [];
  for (const e of demoEmployers()) {
    const base = {
      employerId: e.employerId,
      workHours: '8:00-12:00, 14:00-18:00',
      shifts: ['白班'],
      location: { onSite: e.kind !== 'transfer', address: e.address, distanceKm: e.distanceKm, latitude: e.latitude, longitude: e.longitude },
      skills: [] as string[],
      benefits: { meals: true, housing: e.kind === 'transfer', transport: e.kind === 'transfer' },
      validThrough,
      contact: e.contact,
      contactPhone: e.contactPhone,
    };
    if (e.kind === 'workshop') {
      jobs.push({
        ...base,
        title: `${e.name.replace('扶贫车间', '')}普工`,
        description: `在${e.name}从事${e.name.replace('扶贫车间', '')}工作，楼上住宿、楼下就业，可照顾家庭，有师傅带。`,
        employmentType: 'full_time' as const,
        salary: { min: 2600, max: 3800, unit: 'month' as const },
        openings: 10,
      });
      jobs.push({
        ...base,
        title: `${e.name.replace('扶贫车间', '')}计件工`,
        description: '按件计酬、多劳多得，时间灵活，适合需要接送孩子的家长。',
        employmentType: 'piecework' as const,
        salary: { min: 1, max: 3, unit: 'piece' as const, expectedMonthly: 3000 },
        workHours: '时间自由',
        openings: 20,
      });
    } else if (e.kind === 'public_welfare') {
      for (const [title, desc] of [
        ['保洁员', '负责安置区公共区域保洁，优先安排就业困难人员。'],
        ['护林员', '负责后山林区巡护与防火宣传。'],
        ['楼栋长助理', '协助网格员走访楼栋住户、上报问题。'],
      ] as const) {
        jobs.push({ ...base, title, description: desc, employmentType: 'part_time' as const, salary: { min: 1200, max: 1500, unit: 'month' as const }, openings: 5 });
      }
    } else {
      jobs.push({
        ...base,
        title: '电子厂操作工（统一组织输出）',
        description: '街道统一组织、包车接送，签订正式劳动合同，缴纳社保，包吃住。',
        employmentType: 'full_time' as const,
        salary: { min: 5000, max: 7000, unit: 'month' as const },
        workHours: '两班倒',
        shifts: ['白班', '夜班'],
        openings: 50,
      });
    }
  }
  return jobs;
}

/** The eight volunteer teams. */
export function demoTeams() {
  return [
    { teamId: 'T01', name: '义诊志愿服务队', type: 'clinic' },
    { teamId: 'T02', name: '小微服务志愿队', type: 'small_service' },
    { teamId: 'T03', name: '青少年教育志愿队', type: 'youth_education' },
    { teamId: 'T04', name: '居家养老志愿队', type: 'elderly_care' },
    { teamId: 'T05', name: '巾帼志愿服务队', type: 'small_service' },
    { teamId: 'T06', name: '党员先锋志愿队', type: 'elderly_care' },
    { teamId: 'T07', name: '法律明白人志愿队', type: 'small_service' },
    { teamId: 'T08', name: '青年突击志愿队', type: 'youth_education' },
  ] as const;
}

/**
 * A week of upcoming activities, one per team every other day, at 09:00 Beijing time. The first
 * starts on the first 09:00 that is at least a day after `now` — whatever the hour of seeding, in
 * Beijing or UTC — so every activity is open for sign-up (its deadline, 12 hours before the
 * start, is at least 12 hours away) when the demo data is written.
 */
export function demoActivities(now = new Date()) {
  const titles = { clinic: '社区义诊', small_service: '家电维修与理发', youth_education: '四点半课堂', elderly_care: '独居老人上门探访' } as const;
  const firstDay = beijingDate(nextBeijingClockAfter(now, dayMs, demoActivityClock));
  return demoTeams().flatMap((t, i) =>
    [0, 2, 4].map((day) => {
      const start = atBeijing(addDays(firstDay, day + (i % 2)), demoActivityClock);
      return {
        teamId: t.teamId,
        type: t.type,
        title: `${titles[t.type]}（${t.name.slice(0, 4)}）`,
        description: `${t.name}组织的${titles[t.type]}活动，欢迎有时间的志愿者报名参加。`,
        startAt: start.toISOString(),
        endAt: new Date(start.getTime() + 3 * hourMs).toISOString(),
        place: `新城安置区${(i % 8) + 1}号楼党群服务站`,
        ...buildingLocation((i % 8) + 1),
        capacity: 10 + i * 2,
        requiredSkills: t.type === 'clinic' ? ['医护'] : [],
        signupDeadline: new Date(start.getTime() - 12 * hourMs).toISOString(),
        beneficiaries: t.type === 'elderly_care' ? '独居老人' : t.type === 'youth_education' ? '留守儿童' : '安置区居民',
      };
    }),
  );
}
const demoActivityClock = '09:00';

/**
 * The duty lawyers' roster (值班律师): on each working day of the next two weeks, a morning at the
 * centre and an afternoon by phone; the first day is a full day away, whatever the hour now.
 */
export function demoLegalSlots(now = new Date()) {
  const firstDay = beijingDate(nextBeijingClockAfter(now, dayMs, '09:00'));
  const lawyers = ['陈律师（黔南律师事务所）', '罗律师（新城律师事务所）'];
  return Array.from({ length: 14 }, (_, d) => addDays(firstDay, d))
    .filter((day) => ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()))
    .flatMap((day, i) => [
      { startAt: atBeijing(day, '09:00').toISOString(), endAt: atBeijing(day, '11:30').toISOString(), mode: 'in_person' as const, place: '街道公共法律服务中心 1 号接待室', lawyerName: lawyers[i % 2]!, capacity: 4 },
      { startAt: atBeijing(day, '14:30').toISOString(), endAt: atBeijing(day, '16:30').toISOString(), mode: 'phone' as const, place: '电话咨询（律师致电您）', lawyerName: lawyers[(i + 1) % 2]!, capacity: 3 },
    ]);
}

/** A check character that makes a fictional ID number valid (GB 11643-1999). */
function withCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

/**
 * A roster CSV of `count` households spread over the grids (three members each): fictional but
 * well-formed names, ID numbers and phones. 10% red, 25% yellow, the rest green.
 */
export function demoRoster(count: number, opts: { grids?: number; prefix?: string } = {}): string {
  const grids = opts.grids ?? gridCount;
  const prefix = opts.prefix ?? 'H';
  const lines = ['household_id,grid_id,address,resident_group,colour,colour_reason,name,relation,id_number,phone,birth_year,tags'];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${String(i + 1).padStart(6, '0')}`;
    const grid = `G${String((i % grids) + 1).padStart(3, '0')}`;
    const colour = i % 10 === 0 ? '红' : i % 4 === 0 ? '黄' : '绿';
    const reason = colour === '红' ? '独居老人，慢性病' : colour === '黄' ? '家中有失业人员' : '';
    const address = `安置区${(i % 40) + 1}栋${(i % 6) + 1}单元${100 + (i % 30)}室`;
    const group = `第${(i % 12) + 1}居民小组`;
    const members: [string, string, number, string][] = [
      ['户主', `${(i * 7) % 100}`, 1950 + (i % 40), colour === '红' ? '独居老人;低保户' : ''],
      ['配偶', `${(i * 11) % 100}`, 1955 + (i % 40), colour === '黄' ? '失业人员' : ''],
      ['子女', `${(i * 13) % 100}`, 2008 + (i % 15), i % 7 === 0 ? '留守儿童' : ''],
    ];
    members.forEach(([relation, , year, tags], m) => {
      // Unique per person: the area code carries the thousands, month/day and serial the rest.
      const area = `52${String(Math.floor(i / 1000) % 10_000).padStart(4, '0')}`;
      const md = `${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`;
      const serial = String(((i % 1000) % 333) * 3 + m).padStart(3, '0');
      const idNumber = withCheckChar(`${area}${year}${md}${serial}`);
      const phone = `138${String(10_000_000 + ((i * 3 + m) * 7_919) % 90_000_000).slice(-8)}`;
      lines.push([id, grid, address, group, colour, reason, personName(i * 3 + m), relation, idNumber, phone, year, tags].join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/**
 * Legal-aid applications of the demo (resident-11 … 12; the first is the head of household
 * H000001, tagged 低保 on the roster, so it needs no hardship proof): two to decide, one aided.
 */
export function demoAidApplications(): { userId: string; input: AidInput; decision?: AidDecision }[] {
  const hardshipId = demoRoster(1).split('\n')[1]!.split(',')[8]!;
  return [
    {
      userId: 'resident-11',
      input: { matter: 'wages', idNumber: hardshipId, situation: '去年在县城工地做了四个月钢筋工，包工头拖欠工资两万三千元，多次讨要无果，家里还有老人要养。', claim: '追回被拖欠的工资两万三千元', opposingParty: '某建筑劳务公司', photos: [] },
    },
    {
      userId: 'resident-12',
      input: { matter: 'family_support', idNumber: '110101199003074514', situation: '我今年七十二岁，两个儿子在外地打工，三年来没有给过赡养费，我一个人生活，看病吃药都困难。', claim: '请求两个儿子每月支付赡养费', photos: [] },
    },
    {
      userId: 'resident-11',
      input: { matter: 'work_injury', idNumber: hardshipId, situation: '在扶贫车间操作机器时右手受伤，住院二十天，车间只付了医药费，工伤认定一直没有办。', claim: '申请工伤认定并获得工伤赔偿', opposingParty: '安置区扶贫车间', photos: [] },
      decision: { decision: 'accept', lawyerName: '陈明', lawFirm: '新城法律援助工作站', lawyerPhone: '0851-86800123' },
    },
  ];
}

/** Mediation cases of the demo at each stage (resident-11 … 14; a respondent with `userId` uses the app). */
export function demoMediations(now: Date): {
  userId: string;
  stage: 'applied' | 'accepted' | 'agreed' | 'settled';
  input: Omit<MediationInput, 'respondents'>;
  respondents: { name: string; userId?: string }[];
  mediators: { name: string; userId?: string }[];
  session?: { place: string; attendees: string; record: string };
  agreement?: AgreementInput;
}[] {
  const mediators = [{ name: '李秀芳' }, { name: '张国强', userId: 'cs-C01' }];
  const inDays = (n: number) => addDays(beijingDate(now), n);
  return [
    {
      userId: 'resident-12',
      stage: 'applied',
      input: { category: 'neighbour', facts: '楼上住户家里卫生间漏水，把我家厨房的吊顶泡坏了，找他们几次都不肯修也不肯赔。', claim: '请对方修好漏水的地方并赔偿吊顶损失' },
      respondents: [{ name: '王建国', userId: 'resident-11' }],
      mediators,
    },
    {
      userId: 'resident-13',
      stage: 'accepted',
      input: { category: 'land_housing', facts: '安置房分配时两家的储藏间编号弄错了，对方一直占用我家的储藏间，堆放杂物不肯腾出。', claim: '请对方腾出储藏间' },
      respondents: [{ name: '赵德明' }],
      mediators,
      session: { place: '幸福社区人民调解室', attendees: '双方当事人、调解员李秀芳', record: '双方陈述了储藏间使用经过。经查阅分房登记，储藏间应归申请人使用。被申请人同意腾出，但要求给一周时间找地方存放杂物。' },
    },
    {
      userId: 'resident-11',
      stage: 'agreed',
      input: { category: 'debt', facts: '前年借给同村的亲戚八千元盖房，约定一年内还清，到期后对方一直拖着不还，现在电话也不接。', claim: '请对方归还借款八千元' },
      respondents: [{ name: '李成林', userId: 'resident-14' }],
      mediators,
      session: { place: '街道公共法律服务中心调解室', attendees: '双方当事人、调解员李秀芳、张国强', record: '被申请人承认借款八千元属实，因家中有病人暂时困难。经调解，双方同意分两期还清。' },
      agreement: {
        facts: '被申请人李成林于前年向申请人借款人民币八千元用于建房，约定一年内还清，到期未还。',
        dispute: '借款的归还期限和方式；借款事实清楚，被申请人应当归还。',
        obligations: [
          { partyId: 'B1', what: '归还申请人借款人民币肆仟元（4000 元）', how: '微信转账', by: inDays(30) },
          { partyId: 'B1', what: '归还申请人剩余借款人民币肆仟元（4000 元）', how: '微信转账', by: inDays(120) },
        ],
      },
    },
    {
      userId: 'resident-13',
      stage: 'settled',
      input: { category: 'family', facts: '母亲八十岁，我和弟弟轮流照顾，弟弟这半年一直没有出赡养费，也不来看望。', claim: '请弟弟按月分担赡养费' },
      respondents: [{ name: '刘志刚' }],
      mediators,
      session: { place: '幸福社区人民调解室', attendees: '双方当事人、母亲刘桂兰、调解员李秀芳', record: '双方同意共同赡养母亲，弟弟因工作在外，同意每月出赡养费，姐姐负责日常照顾。' },
      agreement: {
        facts: '双方系姐弟，母亲刘桂兰年满八十岁，由申请人日常照顾，被申请人近半年未分担赡养费用。',
        dispute: '母亲赡养费用的分担；双方均有赡养母亲的义务。',
        obligations: [{ partyId: 'B1', what: '每月向母亲支付赡养费人民币伍佰元（500 元）', how: '每月 5 日前转入母亲的银行卡', by: inDays(365) }],
      },
    },
  ];
}
