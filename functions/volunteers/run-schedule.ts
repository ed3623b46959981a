import { runVolunteerSchedule } from '../../shared/volunteers/use-cases';

/** Schedule (hourly): reminders, seat-offer expiry, finishing activities. */
export const handler = async (event: { scheduledTime?: string }) => runVolunteerSchedule(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
