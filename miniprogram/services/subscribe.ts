import type { Answer } from './http';
import { getAppConfig } from './routes';
import { http, storage } from './wx';

/**
 * WeChat delivers a subscribe message (办理进度, 报名结果 …) only to a user who accepted that
 * template, and the question may only be asked inside a tap. So a page loads the template ids
 * when it opens (from the deployment, GET /v1/app-config) and asks the moment the user taps
 * 提交 / 报名; saying no changes nothing else.
 */
type Templates = Answer<typeof getAppConfig>['subscribeTemplates'];
export type Template = keyof Templates;

const key = 'anzhi.subscribe-templates';
let inFlight: Promise<void> | undefined;

export function loadSubscribeTemplates(): Promise<void> {
  if (storage.get(key)) return Promise.resolve();
  inFlight ??= http
    .call(getAppConfig)
    .then((c) => storage.set(key, JSON.stringify(c.subscribeTemplates)))
    // No ids, no question: the action itself goes ahead.
    .catch(() => undefined)
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

/** Synchronous on purpose: it must run inside the tap, before anything is awaited. */
export function askToNotify(templates: Template[]): void {
  const ids = JSON.parse(storage.get(key) ?? '{}') as Templates;
  // WeChat takes at most three templates per question.
  const tmplIds = templates.map((t) => ids[t]).filter((id): id is string => !!id).slice(0, 3);
  if (tmplIds.length === 0) return;
  wx.requestSubscribeMessage({ tmplIds, success: () => undefined, fail: () => undefined });
}
