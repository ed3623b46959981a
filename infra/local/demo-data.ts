import type { Role } from '../../shared/auth/roles';

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
  return demoUsers().flatMap((u) => (u.phone ? [u.phone] : []));
}
