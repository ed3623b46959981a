// @vitest-environment jsdom
import { beforeAll, expect, inject, it } from 'vitest';
import { createSimulator } from '../../infra/miniprogram/simulator';
import { seedDemoData } from '../../infra/local/seed';
import { useTestStack } from '../support/stack';

const t = useTestStack();
let sim: ReturnType<typeof createSimulator>;
beforeAll(async () => {
  await seedDemoData();
  sim = createSimulator(inject('miniprogramRoot'));
});

it('renders', async () => {
  sim.usePhone({ apiUrl: t.stack.apiUrl, openid: 'dev-resident-1' });
  const p = await sim.open('pages/jobs/list/index');
  console.log(p.text().slice(0, 300));
  console.log(p.html().slice(0, 600));
  expect(p.data.items.length).toBe(20);
});
