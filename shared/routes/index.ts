import type { RouteDefinition } from '../http/route';
import { consoleRoutes } from './console';
import { householdRoutes } from './households';
import { identityRoutes } from './identity';
import { jobRoutes } from './jobs';
import { legalRoutes } from './legal';
import { notificationRoutes } from './notifications';
import { open311Routes } from './open311';
import { photoRoutes } from './photos';
import { requestRoutes } from './requests';
import { systemRoutes } from './system';
import { volunteerRoutes } from './volunteers';

/**
 * THE route table: every HTTP route of the API. The CDK stack makes one HttpApi route and one
 * function per entry, the local server serves exactly these, openapi.json is generated from
 * them, and the authorisation matrix test enumerates them. A handler imports only its own
 * domain's file (shared/routes/<domain>.ts) so that its bundle carries only its own schemas.
 */
export const routes: readonly RouteDefinition[] = [...systemRoutes, ...identityRoutes, ...notificationRoutes, ...requestRoutes, ...photoRoutes, ...jobRoutes, ...volunteerRoutes, ...householdRoutes, ...consoleRoutes, ...open311Routes, ...legalRoutes];
