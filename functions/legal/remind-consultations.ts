import { remindTomorrow } from '../../shared/legal/consultations';

/** Schedule (18:00 Beijing): tomorrow's consultations reminded, once each. */
export const handler = async (event: { scheduledTime?: string }) => remindTomorrow(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
