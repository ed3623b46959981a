/**
 * The WeChat subscribe-message templates the system sends. Kept apart from notify.ts so the
 * route table can name them without pulling the delivery code into every bundle.
 */
export const notificationTemplates = ['request_assigned', 'request_informed', 'request_status', 'request_overdue', 'application_status', 'signup_status', 'activity_reminder', 'consultation_reminder', 'legal_case'] as const;
export type NotificationTemplate = (typeof notificationTemplates)[number];

/** The environment variable that carries a template's id (set by the stack from `-c wechatTemplates`). */
export const templateEnv = (t: NotificationTemplate) => `WECHAT_TEMPLATE_${t.toUpperCase()}`;
