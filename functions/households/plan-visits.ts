import { planVisits } from '../../shared/households/use-cases';

/** Schedule (daily, 06:00 Asia/Shanghai): the visit tasks the colours require. */
export const handler = async (event: { scheduledTime?: string }) => planVisits(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
