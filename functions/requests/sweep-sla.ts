import { sweepSla } from '../../shared/requests/use-cases';

/** Schedule (every 5 minutes): escalates requests past their deadlines one level up. */
export const handler = async (event: { scheduledTime?: string }) => sweepSla(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
