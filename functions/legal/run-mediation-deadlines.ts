import { runMediationDeadlines } from '../../shared/legal/mediation-cases';

/** Schedule (09:00 Beijing): mediation cases past 30 days escalated; 司法确认 reminders 20 days after an agreement. */
export const handler = async (event: { scheduledTime?: string }) => runMediationDeadlines(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
