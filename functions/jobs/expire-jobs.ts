import { expireJobs } from '../../shared/jobs/use-cases';

/** Schedule (hourly): jobs past valid-through close as expired; remaining applicants are told. */
export const handler = async (event: { scheduledTime?: string }) => expireJobs(event.scheduledTime ? new Date(event.scheduledTime) : new Date());
