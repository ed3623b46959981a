import { httpHandler, reply } from '../../shared/http/pipeline';
import { jobDetail, toJsonLd } from '../../shared/jobs/use-cases';
import { getJob } from '../../shared/routes/jobs';

export const handler = httpHandler(getJob, async ({ params, query, principal }) => {
  const job = await jobDetail(params.jobId, principal);
  if (query.format === 'jsonld') return reply(getJob, 200, toJsonLd(job), { 'content-type': 'application/ld+json; charset=utf-8' });
  return job;
});
